"""A real Dovecot IMAP server for the tests: Debian's dovecot-imapd, started on a loopback
port with a throwaway configuration (passwd-file login, Maildir in a temporary folder, no
TLS on loopback). Missing binary: the test is skipped, or fails under CI=true."""

from __future__ import annotations

import grp
import os
import pwd
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from tests.mail.conftest import free_port

DOVECOT = Path("/usr/sbin/dovecot")
USER, PASSWORD = "workspace", "imap secret"

CONFIG = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 1
default_internal_user = {internal_user}
default_internal_group = {internal_group}
default_login_user = {login_user}
mail_location = maildir:{root}/mail/%u
namespace inbox {{
  inbox = yes
  separator = /
}}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
"""


@dataclass
class Dovecot:
    root: Path
    port: int
    process: subprocess.Popen[bytes] | None = None

    @property
    def settings(self) -> dict[str, object]:
        return {"WORKSPACE_IMAP_HOST": "127.0.0.1", "WORKSPACE_IMAP_PORT": self.port,
                "WORKSPACE_IMAP_USER": USER, "WORKSPACE_IMAP_PASSWORD": PASSWORD,
                "WORKSPACE_IMAP_FOLDER": "INBOX", "WORKSPACE_IMAP_TLS": False}

    def start(self) -> None:
        for folder in ("run", "state", "mail", "home"):
            (self.root / folder).mkdir(parents=True, exist_ok=True)
        (self.root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
        uid, gid = os.getuid(), os.getgid()
        if os.geteuid() == 0:  # Dovecot runs nothing as root: its own users hold the mail
            internal, group, login = "dovecot", "dovecot", "dovenull"
            uid, gid = pwd.getpwnam("dovecot").pw_uid, grp.getgrnam("dovecot").gr_gid
            os.chmod(self.root, 0o755)
            for folder in ("mail", "home"):
                os.chown(self.root / folder, uid, gid)
        else:
            internal = login = pwd.getpwuid(uid).pw_name
            group = grp.getgrgid(gid).gr_name
        (self.root / "dovecot.conf").write_text(CONFIG.format(
            root=self.root, port=self.port, uid=uid, gid=gid,
            internal_user=internal, internal_group=group, login_user=login))
        self.process = subprocess.Popen([str(DOVECOT), "-F", "-c", str(self.root / "dovecot.conf")],
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self.wait_until_listening()

    def wait_until_listening(self) -> None:
        import socket

        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"dovecot stopped: {self.process.stdout.read().decode()}"
                                   f"{self.log()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                    if sock.recv(100).startswith(b"* OK"):
                        return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"dovecot did not answer on port {self.port}: {self.log()}")

    def log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text() if path.exists() else ""

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
            self.process = None
        shutil.rmtree(self.root, ignore_errors=True)


def start_dovecot(root: Path) -> Dovecot:
    server = Dovecot(root, free_port())
    server.start()
    return server
