// Re-exported so entry points keep a local first import; the reason is in the shared module.
import '../../shared/ipc/zod-jitless';
