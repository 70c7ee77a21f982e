export { createMemoryBackend, MemoryBackend } from './memory-backend.ts';
export type { MemoryStats } from './memory-backend.ts';
