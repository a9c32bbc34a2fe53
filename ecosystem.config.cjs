// pm2: the web role and each pipeline stage as its own process, so a busy stage scales on its own
// (`pm2 scale wa-outbound 3`). Run `npm run migrate` once before `pm2 start ecosystem.config.cjs`.
//
// CommonJS on purpose (.cjs in a "type": "module" package): pm2 reads this file with require(), which
// loads an ES module only on recent Node versions, and pm2 runs on whatever Node is installed globally.
// `npm run` puts the project's own Node 24 (a devDependency) first on the PATH, whatever that Node is.

// pm2 stops an app by signalling `npm` (SIGINT by default), which passes the signal to its script; the
// start scripts `exec node …`, so npm's child is the service itself and not a shell that would die of the
// signal and leave the service running (tests/process/stop-signal.test.ts).
// SIGINT/SIGTERM make a process stop taking jobs and finish the ones in flight for SHUTDOWN_TIMEOUT_MS
// (15 s by default), then it forces itself out 5 s later; pm2 waits kill_timeout before SIGKILL, so keep
// kill_timeout above SHUTDOWN_TIMEOUT_MS + 5 s if you raise it.
const KILL_TIMEOUT_MS = 25_000;

const common = {
  script: 'npm',
  exec_mode: 'fork',
  kill_timeout: KILL_TIMEOUT_MS,
  // a process that exits at once again and again (Redis or PostgreSQL unreachable at start) restarts ever more slowly
  exp_backoff_restart_delay: 200,
};

const stage = (name, instances = 1) => ({
  ...common,
  name: `wa-${name}`,
  args: 'run start:worker',
  instances,
  env: { WORKER_STAGES: name },
});

module.exports = {
  apps: [
    // one web process per machine: it binds PORT (scale the web role with more machines behind a balancer)
    { ...common, name: 'wa-web', args: 'run start:web', instances: 1 },
    stage('ingest'),
    stage('converse', 2),
    stage('outbound'),
    stage('maintenance'),
  ],
};
