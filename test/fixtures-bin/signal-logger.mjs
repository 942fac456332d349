// A child that reports every signal it gets on stdout, one line each, and exits 0 on the
// signal named as its first argument (default SIGTERM). Prints "ready" once its handlers are in.
const quitOn = process.argv[2] ?? 'SIGTERM';
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGWINCH', 'SIGUSR1', 'SIGUSR2']) {
  process.on(signal, () => {
    process.stdout.write(`got ${signal}\n`);
    if (signal === quitOn) process.exit(0);
  });
}
process.stdout.write('ready\n');
setInterval(() => {}, 1 << 30);
