/**
 * The loader's realtime link: socket.io's wire protocol spoken over a plain
 * WebSocket (engine.io v4, namespace `/visitor`), so invitations, proactive
 * chats and the SDK's profile reach the visitor with the chat closed, without
 * shipping socket.io-client in the loader. Reconnects with a growing pause;
 * where WebSocket is blocked the page simply gets no invitations.
 */
export type Push = (event: string, payload: any) => void;

export interface Live {
  emit(event: string, payload: unknown): Promise<any>;
  close(): void;
}

const NS = '/visitor';

export function connectLive(origin: string, auth: () => Record<string, unknown>, onPush: Push): Live {
  let ws: WebSocket | null = null;
  let ready = false;
  let closed = false;
  let pause = 2000;
  let nextId = 1;
  const acks = new Map<number, (r: any) => void>();
  const waiting: string[] = [];
  const send = (packet: string) => (ready && ws ? ws.send(packet) : waiting.push(packet));

  function open() {
    if (closed) return;
    ws = new WebSocket(origin.replace(/^http/, 'ws') + '/socket.io/?EIO=4&transport=websocket');
    ws.onmessage = (e) => {
      const data = '' + e.data;
      if (data[0] === '0') ws!.send('40' + NS + ',' + JSON.stringify(auth()));
      else if (data === '2') ws!.send('3');
      else if (data.startsWith('40' + NS)) {
        ready = true;
        pause = 2000;
        waiting.splice(0).forEach((p) => ws!.send(p));
      } else if (data.startsWith('42' + NS + ',')) {
        const [event, payload] = JSON.parse(data.slice(NS.length + 3));
        onPush(event, payload);
      } else if (data.startsWith('43' + NS + ',')) {
        const m = /^(\d+)(.*)$/.exec(data.slice(NS.length + 3));
        if (m) acks.get(+m[1])?.(JSON.parse(m[2])[0]);
      }
    };
    ws.onclose = () => {
      ready = false;
      if (!closed) setTimeout(open, (pause = Math.min(pause * 2, 60_000)));
    };
  }
  open();
  return {
    emit(event, payload) {
      const id = nextId++;
      return new Promise((resolve) => {
        acks.set(id, (r) => {
          acks.delete(id);
          resolve(r);
        });
        send('42' + NS + ',' + id + JSON.stringify([event, payload]));
      });
    },
    close() {
      closed = true;
      ws?.close();
    },
  };
}
