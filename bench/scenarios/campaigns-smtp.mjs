// The campaigns benchmark's SMTP server, in a child process of its own (so the bench process's RSS is
// the sender's): smtp-server on a free port, accepting every message, keeping nothing on disk. It
// reads each message's header block only, for its Message-ID (`<sendId@plaza>`), and counts
// messages, distinct ids (a repeated id is a message sent twice) and bytes.
// Parent ⇄ child over IPC: child sends {port} when listening; parent sends 'stats', child answers
// {received, distinct, bytes, first, last}; parent sends 'close'.
import { SMTPServer } from 'smtp-server';

const ids = new Set();
let received = 0;
let bytes = 0;
let first = 0;
let last = 0;

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  size: 10 * 1024 * 1024,
  maxClients: 1000,
  onData(stream, _session, cb) {
    let head = '';
    let done = false;
    stream.on('data', (chunk) => {
      bytes += chunk.length;
      if (done) return;
      head += chunk.toString('latin1');
      const end = head.indexOf('\r\n\r\n');
      if (end >= 0 || head.length > 64 * 1024) {
        done = true;
        const m = /^message-id:\s*(<[^>\r\n]+>)/im.exec(end >= 0 ? head.slice(0, end) : head);
        if (m) ids.add(m[1]);
        head = '';
      }
    });
    stream.on('end', () => {
      received++;
      const now = Date.now();
      if (!first) first = now;
      last = now;
      cb();
    });
  },
});

server.listen(0, '127.0.0.1', () => {
  process.send?.({ port: server.server.address().port });
});

process.on('message', (msg) => {
  if (msg === 'stats') process.send?.({ received, distinct: ids.size, bytes, first, last });
  if (msg === 'close') server.close(() => process.exit(0));
});
process.on('disconnect', () => process.exit(0));
