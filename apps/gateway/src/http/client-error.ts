import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { PROBLEM_CONTENT_TYPE, PROBLEM_TYPE_BASE } from './problem.js';

/**
 * Requests Node's HTTP parser refuses before any route sees them (headers or URL too large, a
 * malformed request line) are answered as problems too, instead of Node's bare 400/431.
 */
export function answerClientErrorsAsProblems(server: Server): void {
  server.on('clientError', (error: Error & { code?: string }, socket: Duplex) => {
    if (!socket.writable || error.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
    const status = tooLarge ? 431 : 400;
    const body = JSON.stringify({
      type: `${PROBLEM_TYPE_BASE}${tooLarge ? 'headers-too-large' : 'invalid'}`,
      title: tooLarge ? 'Request headers too large' : 'Malformed request',
      status,
      detail: tooLarge ? 'the request line and headers together exceed the limit' : 'the request could not be parsed as HTTP',
      instance: '',
    });
    socket.end(
      `HTTP/1.1 ${status} ${tooLarge ? 'Request Header Fields Too Large' : 'Bad Request'}\r\n` +
        `Content-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}
