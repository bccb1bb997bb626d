"""An office node's link to the centre, cut for real: the node in a network namespace of its own, joined to the
host by a veth pair; setting the host's end down cuts the link, as a district office's line dropping would."""
from __future__ import annotations

import os
import shutil
import subprocess


def _ip(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(["ip", *args], capture_output=True, text=True, timeout=20, check=check)


def namespaces_missing() -> str | None:
    """Why network namespaces cannot be made here (not root, no `ip`, not permitted), or None when they can."""
    if os.environ.get("KEZEK_TEST_WITHOUT_NETNS"):
        return "KEZEK_TEST_WITHOUT_NETNS is set (the fallback, the centre stopped, is tried instead)"
    if not shutil.which("ip"):
        return "the `ip` command (iproute2) is missing"
    if os.geteuid() != 0:
        return "not root: `ip netns add` needs CAP_SYS_ADMIN"
    probe = f"kzprobe{os.getpid() % 100000}"
    made = _ip("netns", "add", probe, check=False)
    if made.returncode != 0:
        return f"`ip netns add` is not permitted here: {made.stderr.strip()}"
    pair = _ip("link", "add", f"{probe}h", "type", "veth", "peer", "name", f"{probe}n", check=False)
    _ip("link", "del", f"{probe}h", check=False)
    _ip("netns", "del", probe, check=False)
    return None if pair.returncode == 0 else f"veth pairs are not permitted here: {pair.stderr.strip()}"


class NodeLink:
    """Namespace `kz<pid>n<index>`: the node's end has 10.<200+index>.<pid>.2/30, the host's end .1 (the centre)."""

    def __init__(self, index: int):
        tag = os.getpid() % 10000
        self.namespace = f"kz{tag}n{index}"
        self.host_end, self.node_end = f"{self.namespace}h", f"{self.namespace}n"
        net = f"10.{200 + index}.{tag % 250}"
        self.host_address, self.node_address = f"{net}.1", f"{net}.2"

    def create(self) -> "NodeLink":
        """Make the namespace and the veth pair, address both ends and bring them up."""
        _ip("netns", "add", self.namespace)
        _ip("link", "add", self.host_end, "type", "veth", "peer", "name", self.node_end)
        _ip("link", "set", self.node_end, "netns", self.namespace)
        _ip("addr", "add", f"{self.host_address}/30", "dev", self.host_end)
        _ip("link", "set", self.host_end, "up")
        for args in (("addr", "add", f"{self.node_address}/30", "dev", self.node_end),
                     ("link", "set", self.node_end, "up"), ("link", "set", "lo", "up")):
            _ip("netns", "exec", self.namespace, "ip", *args)
        return self

    def command(self, *args: str) -> list[str]:
        """`args` run inside the node's namespace."""
        return ["ip", "netns", "exec", self.namespace, *args]

    def cut(self) -> None:
        """The line drops: the host's end goes down (packets to and from the node are lost, not refused)."""
        _ip("link", "set", self.host_end, "down")

    def mend(self) -> None:
        """The line is back."""
        _ip("link", "set", self.host_end, "up")

    def remove(self) -> None:
        """Delete the pair and the namespace (whatever of them exists); the node's processes must be ended first."""
        _ip("link", "del", self.host_end, check=False)
        _ip("netns", "del", self.namespace, check=False)
