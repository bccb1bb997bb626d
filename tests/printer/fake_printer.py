"""A fake network ESC/POS printer on 127.0.0.1 that can misbehave in the ways real ones do."""
import socket
import threading

STATUS_OK = {1: 0x12, 2: 0x12, 4: 0x12}
STATUS_PAPER_OUT = {1: 0x1A, 2: 0x32, 4: 0x72}
STATUS_COVER_OPEN = {1: 0x1A, 2: 0x16, 4: 0x12}
STATUS_NEAR_END = {1: 0x12, 2: 0x12, 4: 0x1E}


class FakePrinter:
    """Listens on an ephemeral port; `behaviour` is "ok", "silent", "close_mid" or a status table."""

    def __init__(self, behaviour="ok", close_after: int = 1000):
        self.behaviour = behaviour
        self.close_after = close_after
        self.received = bytearray()
        self.connections = 0
        self._server = socket.create_server(("127.0.0.1", 0))
        self._server.settimeout(0.2)
        self.port = self._server.getsockname()[1]
        self.url = f"tcp://127.0.0.1:{self.port}"
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._accepter = threading.Thread(target=self._accept, daemon=True)
        self._accepter.start()

    def _table(self):
        return self.behaviour if isinstance(self.behaviour, dict) else STATUS_OK

    def _accept(self):
        while not self._stop.is_set():
            try:
                conn, _ = self._server.accept()
            except (socket.timeout, OSError):
                continue
            self.connections += 1
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            thread.start()
            self._threads.append(thread)

    def _serve(self, conn: socket.socket):
        conn.settimeout(0.2)
        pending = b""
        ticket_bytes = 0
        with conn:
            while not self._stop.is_set():
                try:
                    chunk = conn.recv(65536)
                except socket.timeout:
                    continue
                except OSError:
                    return
                if not chunk:
                    return
                self.received += chunk
                if self.behaviour == "silent":
                    continue
                data = pending + chunk
                answers, index = bytearray(), 0
                while True:
                    index = data.find(b"\x10\x04", index)
                    if index < 0 or index + 2 >= len(data):
                        break
                    answers.append(self._table().get(data[index + 2], 0x12))
                    index += 3
                pending = data[-2:]
                ticket_bytes += len(chunk) - 3 * len(answers)
                if self.behaviour == "close_mid" and ticket_bytes >= self.close_after:
                    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
                    return
                if answers:
                    try:
                        conn.sendall(bytes(answers))
                    except OSError:
                        return

    def close(self):
        """Stop accepting and end every connection."""
        self._stop.set()
        self._server.close()
        self._accepter.join(2)
        for thread in self._threads:
            thread.join(2)


def refused_url() -> str:
    """A tcp:// URL of a local port nobody listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"tcp://127.0.0.1:{port}"
