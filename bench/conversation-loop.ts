/**
 * The benchmarks' baseline: eaphost_bench.node (native/bench/conversation_bench.cc), a separate
 * addon built beside the production one, runs whole conversations in a C++ loop through the
 * same portable EAPHost library and method module the public API uses.
 */
import * as path from 'path';
import { builtinMethods, portableEapHostPath } from '../lib/builtin';
import type { BuiltinMethodName } from '../lib/builtin';
import { nativeDir } from '../lib/native';

export interface LoopOptions {
  method: BuiltinMethodName;
  count: number;
  userBlob: Buffer;
  password: string;
  peerConnectionData?: Buffer;
  authenticatorConnectionData?: Buffer;
}

export interface LoopResult {
  completed: number;
  successes: number;
  elapsedMs: number;
}

interface BenchAddon {
  benchConversations(options: LoopOptions & { libraryPath: string; methodPath: string;
    methodType: { type: number; vendorId: number; vendorType: number; authorId: number } }): Promise<LoopResult>;
}

let addon: BenchAddon | undefined;

export function runConversationLoop(options: LoopOptions): Promise<LoopResult> {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  addon ??= require(path.join(nativeDir, 'eaphost_bench.node')) as BenchAddon;
  const method = builtinMethods[options.method];
  return addon.benchConversations({ ...options, libraryPath: portableEapHostPath, methodPath: method.path,
    methodType: method.methodType });
}
