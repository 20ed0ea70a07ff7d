// The reference automerge-repo sync server, for side-by-side benchmarks: a Repo with the
// WebSocket server adapter on 127.0.0.1:<port>, in memory (no storage), sharing only what peers
// ask for, like automerge-repo-sync-server. Prints "listening on <port>" when ready.
import { Repo } from '@automerge/automerge-repo';
import { NodeWSServerAdapter } from '@automerge/automerge-repo-network-websocket';
import { WebSocketServer } from 'ws';

const port = Number(process.argv[2] ?? 0);
const wss = new WebSocketServer({ host: '127.0.0.1', port });
wss.on('listening', () => console.log(`listening on ${wss.address().port}`));
new Repo({
  network: [new NodeWSServerAdapter(wss)],
  peerId: `js-sync-server-${process.pid}`,
  sharePolicy: async () => false,
});
