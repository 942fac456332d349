/** The response body reader handed to every SDK client (src/credentials/aws-clients.ts). */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { collectNodeStream } from '../../src/credentials/aws-clients.js';

describe('collectNodeStream', () => {
  it('reads a Node stream to its bytes, chunk by chunk, text or binary', async () => {
    const bytes = await collectNodeStream(Readable.from([Buffer.from('<Get'), 'Caller', Buffer.from([0xe2, 0x86, 0x92])], { objectMode: false }));
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(bytes).toString('utf8')).toBe('<GetCaller→');
    // Its own bytes, not a view of a larger buffer (Node's pool): code that reads .buffer sees only the body.
    expect(bytes.byteOffset).toBe(0);
    expect(bytes.buffer.byteLength).toBe(bytes.byteLength);
    expect(await collectNodeStream(Readable.from([]))).toEqual(new Uint8Array(0));
  });

  it('rejects with the stream error, and rejects what is not a Node stream', async () => {
    const failing = new Readable({ read() { this.destroy(new Error('socket hang up')); } });
    await expect(collectNodeStream(failing)).rejects.toThrow('socket hang up');
    await expect(collectNodeStream('text')).rejects.toThrow(/not a Node stream \(string\)/);
    await expect(collectNodeStream(null)).rejects.toThrow(/not a Node stream/);
  });
});
