/**
 * Import a trained model file (ONNX or safetensors) as an exact network (docs/audit.md). The
 * format is taken from the extension, or else from the content (a safetensors file starts with a
 * little-endian header length followed by `{`).
 */
import { readFileBytes } from '../io/json-exact';
import { basename, extname } from 'node:path';
import { UserError } from '../errors';
import type { Network } from '../network/network';
import { importOnnx, type ImportOptions } from './onnx';
import { importSafetensors } from './safetensors';

export type ModelFormat = 'onnx' | 'safetensors';

export function detectFormat(path: string, bytes: Uint8Array): ModelFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.onnx') return 'onnx';
  if (ext === '.safetensors') return 'safetensors';
  if (bytes.length > 9 && bytes[8] === 0x7b && bytes[4] === 0 && bytes[5] === 0 && bytes[6] === 0 && bytes[7] === 0) return 'safetensors';
  if (bytes.length > 0 && bytes[0] === 0x08) return 'onnx'; // field 1 (ir_version), varint: how exporters start a ModelProto
  throw new UserError(`${path}: cannot tell the model format (expected a .onnx or .safetensors file)`);
}

export function importModelBytes(bytes: Uint8Array, path: string, opts: ImportOptions & { format?: ModelFormat } = {}): Network {
  const format = opts.format ?? detectFormat(path, bytes);
  const o = { ...opts, file: opts.file ?? basename(path) };
  return format === 'onnx' ? importOnnx(bytes, path, o) : importSafetensors(bytes, path, o);
}

export function importModelFile(path: string, opts: ImportOptions & { format?: ModelFormat } = {}): Network {
  return importModelBytes(readFileBytes(path), path, opts);
}
