// The HTTP benchmark app on Node's built-in `http` and `cluster` modules only: one worker per core,
// standing for the original Express + PM2 deployment at its best (Express only adds cost on top).
// Same endpoints and bytes as Sources/HummingbirdApp and Sources/JaanApp
// (model: Sources/HTTPBenchmarkModel/User.swift). Port: `--port N`, a bare `N`, or $PORT; default 8080.
'use strict';

const cluster = require('node:cluster');
const http = require('node:http');
const os = require('node:os');

function parsePort(argv, env) {
  let port = Number.parseInt(env.PORT ?? '', 10);
  if (!Number.isInteger(port)) port = 8080;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--port' && i + 1 < argv.length) {
      port = Number.parseInt(argv[++i], 10);
    } else if (/^\d+$/.test(argv[i])) {
      port = Number.parseInt(argv[i], 10);
    }
  }
  return port;
}

const PLAINTEXT = 'Hello, World!';
const ID_PATTERN = /^[0-9]{1,9}$/;

function makeItem(userID, number) {
  return {
    id: userID * 100 + number,
    sku: `SKU-${userID}-${number}`,
    name: `Item ${number}`,
    quantity: number,
    priceCents: number * 250 + 99,
    inStock: number % 3 !== 0,
  };
}

function makeUser(id) {
  const items = [];
  for (let number = 1; number <= 10; number++) items.push(makeItem(id, number));
  return {
    id,
    username: `user${id}`,
    displayName: `User ${id}`,
    email: `user${id}@example.com`,
    active: id % 2 === 0,
    createdAt: '2024-01-15T09:30:00Z',
    roles: ['member', 'editor'],
    items,
  };
}

function send(res, status, contentType, body) {
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

function handle(req, res) {
  const url = req.url;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    send(res, 405, 'text/plain', 'Method Not Allowed');
  } else if (url === '/plaintext') {
    send(res, 200, 'text/plain; charset=utf-8', PLAINTEXT);
  } else if (url === '/json') {
    send(res, 200, 'application/json; charset=utf-8', JSON.stringify({ message: 'Hello, World!' }));
  } else if (url.startsWith('/users/')) {
    const id = url.slice('/users/'.length);
    if (ID_PATTERN.test(id)) {
      send(res, 200, 'application/json; charset=utf-8', JSON.stringify(makeUser(Number.parseInt(id, 10))));
    } else {
      send(res, 400, 'text/plain', 'Bad Request');
    }
  } else {
    send(res, 404, 'text/plain', 'Not Found');
  }
}

const port = parsePort(process.argv.slice(2), process.env);

if (cluster.isPrimary) {
  const workers = os.availableParallelism();
  let listening = 0;
  for (let i = 0; i < workers; i++) cluster.fork();
  cluster.on('listening', () => {
    listening += 1;
    if (listening === workers) console.log(`node: ${workers} workers listening on 127.0.0.1:${port}`);
  });
  const stop = () => {
    for (const worker of Object.values(cluster.workers)) worker.kill('SIGTERM');
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
} else {
  http.createServer(handle).listen(port, '127.0.0.1');
}
