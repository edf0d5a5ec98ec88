// Preloaded (`--import`) into a projector run under `--cpu-prof`: ending with process.exit writes
// the profile, which a signal-terminated process never does.
process.once('SIGUSR2', () => process.exit(0));

export {};
