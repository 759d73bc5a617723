"""Back up and restore the site's database and uploaded files.

    deploy/backup [DIRECTORY]    write DIRECTORY/<UTC time>/ (default var/backups)
    deploy/restore BACKUP --yes  put a backup's database and files back

Both read the site's own environment, so run them where the site runs, with
its variables set:

- DATABASE_URL: PostgreSQL is dumped with `pg_dump --format=custom` and
  restored with `pg_restore --clean --if-exists` (needs the PostgreSQL client
  tools of the server's version); SQLite (the default, db.sqlite3 beside the
  code) is copied with SQLite's online backup, consistent while the site runs.
- MEDIA_ROOT (default var/media): the uploads, as one tar.gz. With
  MEDIA_STORAGE=s3 the uploads are in the bucket and are not copied here: keep
  the bucket's versioning on, or copy it with the provider's tools
  (`aws s3 sync s3://BUCKET DIR`, `rclone sync`).

A restore replaces what is there: stop the web, worker and scheduler
processes first, restore, run `manage.py migrate` (a backup from an older
release), start them again. Standard library only: no virtualenv needed.
"""

import argparse
import contextlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.pgdump"
MEDIA_FILE = "media.tar.gz"
MANIFEST_FILE = "manifest.json"


class BackupError(Exception):
    """Something the operator must fix; the message says what."""


def database_target(environ) -> tuple[str, str]:
    """("sqlite", file path) or ("postgresql", URL) from DATABASE_URL."""
    url = environ.get("DATABASE_URL", "").strip()
    if not url:
        return "sqlite", str(BASE_DIR / "db.sqlite3")
    scheme = urlsplit(url).scheme
    if scheme == "sqlite":
        path = unquote(url.removeprefix("sqlite://"))
        if path in ("", "/", "/:memory:"):
            raise BackupError("DATABASE_URL names an in-memory SQLite database.")
        return "sqlite", path
    if scheme in ("postgres", "postgresql", "pgsql"):
        # libpq knows postgresql:// and postgres://, not pgsql://.
        return "postgresql", "postgresql" + url[len(scheme) :]
    raise BackupError(
        f"Cannot back up a {scheme!r} database: only SQLite or PostgreSQL."
    )


def media_root(environ) -> Path | None:
    """The uploads folder, or None when they live in a bucket."""
    if environ.get("MEDIA_STORAGE", "").strip().lower() == "s3":
        return None
    return Path(environ.get("MEDIA_ROOT", "") or BASE_DIR / "var" / "media")


def _run(command: list[str]) -> None:
    tool = shutil.which(command[0])
    if tool is None:
        raise BackupError(
            f"{command[0]} is not installed: install the PostgreSQL client tools "
            "of the server's version (Debian: postgresql-client)."
        )
    result = subprocess.run(  # noqa: S603 - fixed tools, arguments from the operator
        [tool, *command[1:]], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


def sqlite_copy(source: str, target: str) -> None:
    """Copy a live SQLite database page by page (WAL included), consistently."""
    if not Path(source).is_file():
        raise BackupError(f"No SQLite database at {source}.")
    with (
        contextlib.closing(sqlite3.connect(source)) as reader,
        contextlib.closing(sqlite3.connect(target)) as writer,
    ):
        reader.backup(writer)


def backup(directory: Path, environ) -> Path:
    """Write one backup folder under `directory`; return its path."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = directory / stamp
    target.mkdir(parents=True, exist_ok=False)
    kind, location = database_target(environ)
    manifest = {"created": stamp, "database": kind, "media": None}
    if kind == "sqlite":
        sqlite_copy(location, str(target / SQLITE_FILE))
    else:
        dump = str(target / POSTGRES_FILE)
        _run(["pg_dump", "--format=custom", "--no-owner", "--file", dump, location])
    root = media_root(environ)
    if root is None:
        manifest["media"] = "in the bucket (MEDIA_STORAGE=s3): not copied"
    elif root.is_dir():
        with tarfile.open(target / MEDIA_FILE, "w:gz") as archive:
            archive.add(root, arcname=".")
        manifest["media"] = MEDIA_FILE
    (target / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2) + "\n")
    return target


def _media_restore(archive_path: Path, root: Path) -> None:
    """Unpack beside MEDIA_ROOT, then swap folders: never half old, half new."""
    root.parent.mkdir(parents=True, exist_ok=True)
    unpacked = Path(tempfile.mkdtemp(prefix=".restore-", dir=root.parent))
    with tarfile.open(archive_path, "r:gz") as archive:
        archive.extractall(unpacked, filter="data")  # no links out, no devices
    old = root.with_name(root.name + ".before-restore")
    shutil.rmtree(old, ignore_errors=True)
    if root.exists():
        root.rename(old)
    unpacked.rename(root)
    shutil.rmtree(old, ignore_errors=True)


def _sqlite_restore(copy: Path, location: str) -> None:
    """Replace the database file whole; its old WAL must not be replayed on it."""
    path = Path(location)
    path.parent.mkdir(parents=True, exist_ok=True)
    staged = path.with_name(path.name + ".restoring")
    shutil.copyfile(copy, staged)
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    os.replace(staged, path)


def restore(source: Path, environ) -> list[str]:
    """Put the backup in `source` back; return what was restored."""
    manifest_path = source / MANIFEST_FILE
    if not manifest_path.is_file():
        raise BackupError(f"{source} is not a backup (no {MANIFEST_FILE}).")
    manifest = json.loads(manifest_path.read_text())
    kind, location = database_target(environ)
    if manifest["database"] != kind:
        raise BackupError(
            f"The backup holds a {manifest['database']} database but DATABASE_URL "
            f"names a {kind} one."
        )
    done = []
    if kind == "sqlite":
        _sqlite_restore(source / SQLITE_FILE, location)
    else:
        dump = str(source / POSTGRES_FILE)
        _run(
            [
                *("pg_restore", "--clean", "--if-exists", "--no-owner"),
                *("--single-transaction", "--dbname", location, dump),
            ]
        )
    done.append("database")
    root = media_root(environ)
    if manifest["media"] == MEDIA_FILE:
        if root is None:
            raise BackupError(
                "The backup holds uploaded files but MEDIA_STORAGE=s3: copy "
                f"{source / MEDIA_FILE} into the bucket with the provider's tools."
            )
        _media_restore(source / MEDIA_FILE, root)
        done.append("media")
    return done


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="deploy/backups.py")
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("backup", help="back up the database and uploads")
    make.add_argument("directory", nargs="?", default=str(BASE_DIR / "var/backups"))
    put = commands.add_parser("restore", help="restore a backup (replaces data)")
    put.add_argument("backup")
    put.add_argument(
        "--yes", action="store_true", help="confirm: the present data is replaced"
    )
    args = parser.parse_args(argv)
    try:
        if args.command == "backup":
            print(backup(Path(args.directory), os.environ))  # noqa: T201
            return 0
        if not args.yes:
            raise BackupError(
                "A restore replaces the database and the uploads: stop the site, "
                "then run it again with --yes."
            )
        done = restore(Path(args.backup), os.environ)
        print(f"Restored {' and '.join(done)} from {args.backup}.")  # noqa: T201
        return 0
    except BackupError as error:
        print(f"{parser.prog} {args.command}: {error}", file=sys.stderr)  # noqa: T201
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
