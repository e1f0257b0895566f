/**
 * The part of the ONNX protobuf schema (onnx/onnx.proto, proto2, package `onnx`) that import and
 * export of fully-connected ReLU networks use, read and written with protobufjs.
 *
 * Field numbers are those of the ONNX specification; fields that nsad never reads (training info,
 * functions, sparse initializers, …) are left out of the schema, and protobufjs skips them when
 * decoding, so models written by newer exporters still decode. int64 fields are decoded as JS
 * numbers (dims and opset versions are small; a dim beyond 2^53 would be refused by the shape checks).
 */
import protobuf from 'protobufjs';
import { UserError } from '../errors';

const SCHEMA = `
syntax = "proto2";
package onnx;

message AttributeProto {
  optional string name = 1;
  optional string ref_attr_name = 21;
  optional string doc_string = 13;
  optional int32 type = 20;
  optional float f = 2;
  optional int64 i = 3;
  optional bytes s = 4;
  optional TensorProto t = 5;
  optional GraphProto g = 6;
  repeated float floats = 7;
  repeated int64 ints = 8;
  repeated bytes strings = 9;
  repeated TensorProto tensors = 10;
  repeated GraphProto graphs = 11;
}

message ValueInfoProto {
  optional string name = 1;
  optional TypeProto type = 2;
  optional string doc_string = 3;
}

message NodeProto {
  repeated string input = 1;
  repeated string output = 2;
  optional string name = 3;
  optional string op_type = 4;
  optional string domain = 7;
  repeated AttributeProto attribute = 5;
  optional string doc_string = 6;
}

message StringStringEntryProto {
  optional string key = 1;
  optional string value = 2;
}

message OperatorSetIdProto {
  optional string domain = 1;
  optional int64 version = 2;
}

message ModelProto {
  optional int64 ir_version = 1;
  repeated OperatorSetIdProto opset_import = 8;
  optional string producer_name = 2;
  optional string producer_version = 3;
  optional string domain = 4;
  optional int64 model_version = 5;
  optional string doc_string = 6;
  optional GraphProto graph = 7;
  repeated StringStringEntryProto metadata_props = 14;
}

message GraphProto {
  repeated NodeProto node = 1;
  optional string name = 2;
  repeated TensorProto initializer = 5;
  optional string doc_string = 10;
  repeated ValueInfoProto input = 11;
  repeated ValueInfoProto output = 12;
  repeated ValueInfoProto value_info = 13;
}

message TensorProto {
  repeated int64 dims = 1;
  optional int32 data_type = 2;
  repeated float float_data = 4 [packed = true];
  repeated int32 int32_data = 5 [packed = true];
  repeated bytes string_data = 6;
  repeated int64 int64_data = 7 [packed = true];
  optional string name = 8;
  optional string doc_string = 12;
  optional bytes raw_data = 9;
  repeated StringStringEntryProto external_data = 13;
  optional int32 data_location = 14;
  repeated double double_data = 10 [packed = true];
  repeated uint64 uint64_data = 11 [packed = true];
}

message TensorShapeProto {
  message Dimension {
    oneof value {
      int64 dim_value = 1;
      string dim_param = 2;
    }
    optional string denotation = 3;
  }
  repeated Dimension dim = 1;
}

message TypeProto {
  message Tensor {
    optional int32 elem_type = 1;
    optional TensorShapeProto shape = 2;
  }
  oneof value {
    Tensor tensor_type = 1;
  }
  optional string denotation = 6;
}
`;

/** TensorProto.DataType codes (onnx.proto). */
export const DataType = {
  UNDEFINED: 0,
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  UINT16: 4,
  INT16: 5,
  INT32: 6,
  INT64: 7,
  STRING: 8,
  BOOL: 9,
  FLOAT16: 10,
  DOUBLE: 11,
  UINT32: 12,
  UINT64: 13,
  COMPLEX64: 14,
  COMPLEX128: 15,
  BFLOAT16: 16,
} as const;

/** AttributeProto.AttributeType codes. */
export const AttrType = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, GRAPH: 5, FLOATS: 6, INTS: 7 } as const;

export function dataTypeName(code: number): string {
  for (const [k, v] of Object.entries(DataType)) if (v === code) return k.toLowerCase();
  return `data type ${code}`;
}

export interface OnnxTensor {
  dims?: number[];
  dataType?: number;
  floatData?: number[];
  int32Data?: number[];
  int64Data?: number[];
  doubleData?: number[];
  uint64Data?: number[];
  name?: string;
  rawData?: Uint8Array;
  externalData?: Array<{ key?: string; value?: string }>;
  dataLocation?: number;
}

export interface OnnxAttribute {
  name?: string;
  type?: number;
  f?: number;
  i?: number;
  s?: Uint8Array;
  t?: OnnxTensor;
  floats?: number[];
  ints?: number[];
}

export interface OnnxNode {
  input?: string[];
  output?: string[];
  name?: string;
  opType?: string;
  domain?: string;
  attribute?: OnnxAttribute[];
}

export interface OnnxDim {
  dimValue?: number;
  dimParam?: string;
}

export interface OnnxValueInfo {
  name?: string;
  type?: { tensorType?: { elemType?: number; shape?: { dim?: OnnxDim[] } } };
}

export interface OnnxGraph {
  node?: OnnxNode[];
  name?: string;
  initializer?: OnnxTensor[];
  input?: OnnxValueInfo[];
  output?: OnnxValueInfo[];
  valueInfo?: OnnxValueInfo[];
}

export interface OnnxModel {
  irVersion?: number;
  opsetImport?: Array<{ domain?: string; version?: number }>;
  producerName?: string;
  producerVersion?: string;
  docString?: string;
  graph?: OnnxGraph;
  metadataProps?: Array<{ key?: string; value?: string }>;
}

let root: protobuf.Root | null = null;
function modelType(): protobuf.Type {
  root ??= protobuf.parse(SCHEMA, { keepCase: false }).root;
  return root.lookupType('onnx.ModelProto');
}

/** Decode an ONNX file's bytes. Throws a UserError naming `source` on malformed protobuf. */
export function decodeModel(bytes: Uint8Array, source: string): OnnxModel {
  const T = modelType();
  let msg: protobuf.Message;
  try {
    msg = T.decode(bytes);
  } catch (e) {
    throw new UserError(`${source}: not a valid ONNX (protobuf) file (${(e as Error).message})`);
  }
  return T.toObject(msg, { longs: Number, enums: Number, arrays: false, defaults: false }) as OnnxModel;
}

/** Encode a model object (camelCase fields as in the interfaces above) to ONNX bytes. */
export function encodeModel(model: OnnxModel): Uint8Array {
  const T = modelType();
  const err = T.verify(model);
  if (err) throw new Error(`internal: ONNX model object does not fit the schema: ${err}`);
  return T.encode(T.fromObject(model)).finish();
}
