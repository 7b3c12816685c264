// A stand-in for the Rust side in component tests: each command answers from a table of
// handlers (a function of the invoke arguments), and every call is kept for assertions.
import { invoke } from '@tauri-apps/api/core';
import { vi } from 'vitest';

import type { ErrorKind } from '../lib/bindings/ErrorKind';

export type Handler = (args: Record<string, unknown>) => unknown;

export interface Backend {
  calls: Array<{ command: string; args: Record<string, unknown> }>;
  handlers: Record<string, Handler>;
}

/** Routes the mocked `invoke` to `handlers`; an unknown command rejects like the backend. */
export function fakeBackend(handlers: Record<string, Handler>): Backend {
  const backend: Backend = { calls: [], handlers };
  vi.mocked(invoke).mockImplementation(async (command: string, args?: unknown) => {
    const params = (args ?? {}) as Record<string, unknown>;
    backend.calls.push({ command, args: params });
    const handler = backend.handlers[command];
    if (handler === undefined) throw { kind: 'unknown_command', message: `pas de ${command}` };
    return handler(params);
  });
  return backend;
}

/** An ApiError as commands reject with. */
export function refusal(kind: ErrorKind, message: string): never {
  throw { kind, message };
}
