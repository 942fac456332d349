/** Doctor's clock check against a local server: the Date header read, and the ways a request fails. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { checkClock } from '../../src/commands/doctor-checks.js';

const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('checkClock', () => {
  it('measures the skew from the Date header, whatever the status and body', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(403, { Date: new Date(Date.UTC(2026, 0, 1, 12, 0, 0)).toUTCString() });
      res.end('x'.repeat(100_000));
    });
    const at = Date.UTC(2026, 0, 1, 12, 10, 0);
    expect(await checkClock({ AWS_ENDPOINT_URL: url }, () => at)).toMatchObject({ status: 'fail', detail: expect.stringContaining('600s ahead of AWS') });
    expect(await checkClock({ AWS_ENDPOINT_URL: url }, () => at - 600_000 + 30_000)).toMatchObject({ status: 'ok', detail: `-30s against ${url}` });
  });

  it('takes the Date header of an answer whose body is cut off, and goes on', async () => {
    const url = await serve((req, res) => {
      res.writeHead(200, { Date: new Date().toUTCString(), 'Content-Length': '100000' });
      res.write('x'.repeat(1000));
      setTimeout(() => req.socket.destroy(), 20);
    });
    expect(await checkClock({ AWS_ENDPOINT_URL: url }, Date.now)).toMatchObject({ status: 'ok' });
    // The cut comes after the answer: nothing is thrown into the event loop.
    await new Promise((resolve) => setTimeout(resolve, 100));
  });

  it('warns without a Date header, on a refused connection, and when the server never answers', async () => {
    const quiet = await serve((_req, res) => {
      res.sendDate = false;
      res.end();
    });
    expect(await checkClock({ AWS_ENDPOINT_URL: quiet }, Date.now)).toMatchObject({ status: 'warn', detail: `no Date header from ${quiet}` });
    const closed = await serve(() => undefined);
    servers.pop()!.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await checkClock({ AWS_ENDPOINT_URL: closed }, Date.now)).toMatchObject({ status: 'warn', detail: expect.stringMatching(/^could not reach .*ECONNREFUSED/) });
    const silent = await serve(() => undefined);
    expect(await checkClock({ AWS_ENDPOINT_URL: silent }, Date.now, 300)).toMatchObject({ status: 'warn', detail: `could not reach ${silent} (timed out)` });
  });
});
