// Entry of the indexing worker thread (see openIndexInWorker in startup.ts). A worker does not
// inherit the `--import tsx` of the main thread, so it registers tsx before loading TypeScript.
import { register } from 'tsx/esm/api';

register();
await import('./index-worker.ts');
