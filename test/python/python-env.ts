/**
 * Finds the Python the script and ONNX checks run with, and says plainly why they skip when there is none.
 * Order: LAYERLAB_TEST_PYTHON, then the checkout's .venv-test/ (what .ci/run creates), then python3 on PATH.
 * A Python counts only when it imports every module the caller needs.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface PythonEnv {
  /** The interpreter to run, or null when none has the modules. */
  python: string | null;
  /** Why the checks skip, in words for the test log; empty when python is set. */
  skipReason: string;
}

const found = new Map<string, PythonEnv>();

export function pythonWith(modules: readonly string[]): PythonEnv {
  const key = modules.join(',');
  const cached = found.get(key);
  if (cached) return cached;
  const candidates = [process.env.LAYERLAB_TEST_PYTHON, path.join(ROOT, '.venv-test/bin/python'), 'python3'].filter(
    (c): c is string => Boolean(c),
  );
  const tried: string[] = [];
  let env: PythonEnv | null = null;
  for (const python of candidates) {
    if (python.includes(path.sep) && !existsSync(python)) {
      tried.push(`${python} (absent)`);
      continue;
    }
    const probe = spawnSync(python, ['-c', `import ${modules.join(', ')}`], { encoding: 'utf8', timeout: 120_000 });
    if (probe.status === 0) {
      env = { python, skipReason: '' };
      break;
    }
    const last = (probe.stderr || probe.error?.message || '').trim().split('\n').pop() ?? '';
    tried.push(`${python} (${last || 'failed'})`);
  }
  env ??= {
    python: null,
    skipReason:
      `skipped: no Python with ${modules.join(', ')} (tried ${tried.join('; ')}). ` +
      'Create it with: python3 -m venv .venv-test && .venv-test/bin/pip install -r test/python/requirements.txt',
  };
  if (!env.python) console.warn(`[python checks] ${env.skipReason}`);
  found.set(key, env);
  return env;
}
