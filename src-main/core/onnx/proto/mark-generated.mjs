// Puts the "generated" banner on top of the files `npm run proto` writes, so nobody edits them by hand.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const BANNER =
  '// GENERATED FILE: do not edit. Made by `npm run proto` (protobufjs-cli) from onnx.proto beside it, which is the\n' +
  '// ONNX project\'s onnx.proto as of release 1.20.0 and after (IR_VERSION 13 of 2025-11-06 is its last published\n' +
  '// IR version). See README.md in this folder.\n';

for (const name of ['onnx.js', 'onnx.d.ts']) {
  const file = path.join(here, name);
  const text = readFileSync(file, 'utf8');
  if (!text.startsWith('// GENERATED FILE')) writeFileSync(file, BANNER + text);
}
