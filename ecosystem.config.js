// pm2: web and each pipeline stage as its own process, so a busy stage scales on its own
// (`pm2 scale wa-outbound 3`). Run `npm run migrate` once before `pm2 start ecosystem.config.js`.
const stage = (name, instances = 1) => ({
  name: `wa-${name}`,
  script: 'npm',
  args: 'run start:worker',
  instances,
  exec_mode: 'fork',
  kill_timeout: 20000, // SIGTERM, then this long to finish in-flight jobs before SIGKILL
  env: { WORKER_STAGES: name },
});

// This package is ESM; pm2 require()s this file, which Node ≥ 22 allows for ES modules and reads `apps`.
export const apps = [
  { name: 'wa-web', script: 'npm', args: 'run start:web', instances: 1, exec_mode: 'fork', kill_timeout: 20000 },
  stage('ingest'),
  stage('converse', 2),
  stage('outbound'),
  stage('maintenance'),
];
