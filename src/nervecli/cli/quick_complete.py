"""A Tab press answered fast: the shell-completion protocol for catalogue names, from the cache.

Typer's completion (bash, zsh and fish, the `_NERVECLI_COMPLETE` protocol) runs the whole CLI:
Typer, pydantic and Rich imported, and the catalogue opened. The common case, a treatment or
condition name after `show`, `compare`, `alternatives`, `questions`, `conditions` or
`list --condition`, needs only the cache's Tab index (`format.tab_names`). This module answers
exactly that case with the standard library alone, printing what Typer would print, after the
same checks a run makes: the same cache file, the catalogue files unchanged (the racy rule
included), the file whole. Anything else (another shell or word, an option, no cache, a changed
catalogue, a damaged cache) returns None and the full CLI answers. It never writes a file.

At 100,000 treatments (1,000 files) a Tab costs what the files' stamps cost: one walk, one
lstat a name, their stamps compared whole with the copy the cache keeps (meta 'stamps'), then a
few blocks of names read and checked (one checksum a block).
"""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Mapping, Sequence

from nervecli import __version__
from nervecli.origin import format as fmt

VAR = "_NERVECLI_COMPLETE"
SHELLS = ("bash", "zsh", "fish")

FORMAT_OPTIONS = {"--format", "-f"}
# Per command: its flags, its options that take a value, what its arguments name, how many.
COMMANDS: dict[str, tuple[set[str], set[str], str | None, int]] = {
    "show": ({"--full", "--sources", "--no-pager"}, FORMAT_OPTIONS, "treatments", 1),
    "alternatives": ({"--no-pager"}, FORMAT_OPTIONS, "treatments", 1),
    "compare": ({"--full", "--no-pager"}, FORMAT_OPTIONS, "treatments", -1),
    "questions": ({"--no-pager"}, FORMAT_OPTIONS, "treatments", -1),
    "conditions": ({"--no-pager"}, FORMAT_OPTIONS, "conditions", 1),
    "list": (
        {"--no-pager"},
        {*FORMAT_OPTIONS, "--kind", "--condition", "--line", "--sort"},
        None,
        0,
    ),
}
OPTION_KINDS = {("list", "--condition"): "conditions"}


def split_arg_string(string: str) -> list[str]:
    """As the shell completion of Typer splits its input (shlex, a partial last token kept)."""
    import shlex

    lex = shlex.shlex(string, posix=True)
    lex.whitespace_split = True
    lex.commenters = ""
    out: list[str] = []
    try:
        for token in lex:
            out.append(token)
    except ValueError:
        out.append(lex.token)
    return out


def _request(shell: str, environ: Mapping[str, str]) -> tuple[list[str], str] | None:
    """The words before the one being completed, and that word."""
    if shell == "bash":
        try:
            words = split_arg_string(environ["COMP_WORDS"])
            cword = int(environ["COMP_CWORD"])
        except (KeyError, ValueError):
            return None
        if cword < 1:
            return None
        return words[1:cword], words[cword] if cword < len(words) else ""
    given = environ.get("_TYPER_COMPLETE_ARGS", "")
    words = split_arg_string(given)[1:]
    if words and not given.endswith(" "):
        return words[:-1], words[-1]
    return words, ""


def _what(args: list[str], incomplete: str) -> tuple[str, list[str], bool] | None:
    """Which names complete the word (treatments or conditions), the --catalog paths given and
    whether --no-bundled was; None for anything this module does not answer."""
    if (incomplete and not incomplete[:1].isalnum()) or incomplete != incomplete.lower():
        return None  # options, and capitals (which Typer's own filter treats its way)
    catalogs: list[str] = []
    no_bundled = False
    i = 0
    while i < len(args) and args[i].startswith("-"):
        arg = args[i]
        if arg == "--catalog" and i + 1 < len(args):
            catalogs.append(args[i + 1])
            i += 2
            continue
        if arg.startswith("--catalog="):
            catalogs.append(arg.partition("=")[2])
        elif arg == "--no-bundled":
            no_bundled = True
        else:
            return None  # --no-cache, --help and the rest: the full CLI
        i += 1
    if i >= len(args) or args[i] not in COMMANDS or any(not c.strip() for c in catalogs):
        return None
    command = args[i]
    flags, valued, kind, most = COMMANDS[command]
    rest = args[i + 1 :]
    given = 0
    j = 0
    while j < len(rest):
        arg = rest[j]
        if arg == "--" or arg == "-":
            return None
        if arg.startswith("-"):
            if arg in flags:
                j += 1
                continue
            if arg in valued:
                if j + 1 == len(rest):  # the word is this option's value
                    option_kind = OPTION_KINDS.get((command, arg))
                    return (option_kind, catalogs, no_bundled) if option_kind else None
                j += 2
                continue
            if "=" in arg and arg.partition("=")[0] in valued:
                j += 1
                continue
            return None
        given += 1
        j += 1
    if kind is None or (most != -1 and given >= most):
        return None
    return kind, catalogs, no_bundled


YAML = (".yaml", ".yml")
# A folder's names are looked at relative to it, where the system allows (shorter lookups).
_AT = os.lstat in os.supports_dir_fd and os.listdir in os.supports_fd
_FOLDER = os.O_RDONLY
for _flag_name in ("O_DIRECTORY", "O_NOFOLLOW", "O_CLOEXEC"):
    _FOLDER |= getattr(os, _flag_name, 0)


class Scan:
    """The catalogue files, resolved, in the order the full CLI finds them, with their stamps
    (as `format.stamp_text` writes them: a test shows the cache answers) and the newest time
    among them. Written for speed: a catalogue of 100,000 treatments is 1,000 files."""

    def __init__(self) -> None:
        self.files: list[str] = []
        self.stamps: list[str] = []
        self.newest = 0

    def add(self, path: str, info: os.stat_result) -> None:
        self.files.append(path)
        self.stamps.append(fmt.stamp_text(path, info.st_size, info.st_mtime_ns, info.st_ctime_ns))
        self.newest = max(self.newest, info.st_mtime_ns, info.st_ctime_ns)

    def walk(self, folder: str) -> None:
        """Like `reading.files.catalogue_files` for a folder, resolved: every *.yaml/*.yml file
        below it (not through linked folders), in the order of sorted `pathlib` paths: part by
        part, which is each folder's names sorted, a subfolder's files in its name's place. The
        folder is resolved once; only a file that is itself a link is resolved on its own. One
        system call a name (lstat, relative to the open folder: it tells a folder, and it is a
        plain file's stamp). A catalogue file's name on what is no file (a FIFO, a device, a
        link to nothing) raises OSError: the full CLI reports it."""
        prefix = folder if folder.endswith(os.sep) else folder + os.sep
        fd = os.open(folder, _FOLDER) if _AT else None  # not through a link put in its place
        try:
            self._entries(prefix, sorted(os.listdir(folder if fd is None else fd)), fd)
        finally:
            if fd is not None:
                os.close(fd)

    def _entries(self, prefix: str, names: list[str], fd: int | None) -> None:
        files, stamps, lstat, newest = self.files, self.stamps, os.lstat, self.newest
        for name in names:
            info = lstat(name if fd is not None else prefix + name, dir_fd=fd)
            kind = info.st_mode & 0o170000  # stat.S_IFMT
            if kind == stat.S_IFDIR:
                self.newest = newest
                self.walk(prefix + name)
                newest = self.newest
                continue
            # Its suffix as pathlib's: after the last dot, not a dot file's leading one.
            if not name.endswith(YAML):
                dot = name.rfind(".")
                if dot < 1 or name[dot:].lower() not in YAML:
                    continue
            elif name in YAML:
                continue
            if kind == stat.S_IFREG:  # the common case, inline
                path, mtime, ctime = prefix + name, info.st_mtime_ns, info.st_ctime_ns
                files.append(path)
                stamps.append(f"{path}\0{info.st_size}\0{mtime}\0{ctime}\0")
                if mtime > newest or ctime > newest:
                    newest = max(mtime, ctime)
            elif kind == stat.S_IFLNK:
                path = prefix + name
                if not stat.S_ISREG(os.stat(path).st_mode):  # a broken link raises OSError
                    raise OSError(f"{path}: not a file")
                real = os.path.realpath(path)
                self.newest = newest
                self.add(real, os.stat(real))
                newest = self.newest
            else:  # a FIFO, device or socket named as a catalogue file: the CLI reports it
                raise OSError(f"{prefix + name}: not a file")
        self.newest = newest


def _bundled() -> str | None:
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # nervecli/
    for candidate in (
        os.path.join(package, "data"),
        os.path.join(os.path.dirname(os.path.dirname(package)), "data"),
    ):
        if os.path.isfile(os.path.join(candidate, "catalogue.yaml")):
            return candidate
    return None


def _scan(paths: Sequence[str]) -> Scan | None:
    """The catalogue files, resolved, as the full CLI finds them; None on any doubt."""
    scan = Scan()
    try:
        for path in paths:
            mode = os.stat(path).st_mode
            if stat.S_ISDIR(mode):
                before = len(scan.files)
                scan.walk(os.path.realpath(path))
                if len(scan.files) == before:
                    return None
            elif stat.S_ISREG(mode):
                real = os.path.realpath(path)
                scan.add(real, os.stat(real))
            else:
                return None
    except OSError:
        return None
    return scan


def _files(paths: Sequence[str]) -> list[str] | None:
    scan = _scan(paths)
    return None if scan is None else scan.files


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() not in ("", "0", "false", "no")


def _cache_dir(environ: Mapping[str, str]) -> str | None:
    base = environ.get("XDG_CACHE_HOME", "")
    if base and os.path.isabs(base):
        return os.path.join(base, "nervecli")
    home = environ.get("HOME", "")
    return os.path.join(home, ".cache", "nervecli") if home and os.path.isabs(home) else None


def names(
    environ: Mapping[str, str], kind: str, catalogs: list[str], no_bundled: bool, prefix: str
) -> list[str] | None:
    """The completions, from the cache; None when the cache cannot answer for certain."""
    if _flag(environ.get("NERVECLI_NO_CACHE")):
        return None
    directory = _cache_dir(environ)
    from_env = [p for p in environ.get("NERVECLI_CATALOG", "").split(os.pathsep) if p.strip()]
    bundled = not (no_bundled or _flag(environ.get("NERVECLI_NO_BUNDLED")))
    data = _bundled() if bundled else None
    if directory is None or (bundled and data is None):
        return None
    scan = _scan([*([data] if data else []), *from_env, *catalogs])
    if scan is None:
        return None
    files = scan.files
    path = os.path.join(directory, fmt.file_name(__version__, bundled, files))
    if not os.path.isfile(path):
        return None
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        if fmt.plain_meta(conn, "version") != __version__:
            return None
        built = fmt.plain_meta(conn, "built")
        if fmt.meta_bytes(conn, "stamps") != fmt.joined(scan.stamps):
            return None  # a file added, removed, renamed or touched: the full CLI reads it
        # A file changed close to the cache's making is checked by its content too.
        racy = not isinstance(built, int) or scan.newest >= built - fmt.RACY_NS
        if racy and fmt.current(fmt.plain_meta(conn, "files"), files, built) is None:
            return None
        fmt.whole(conn, path, "catalogue", reseal=False)
        return fmt.tab_names(conn, kind, prefix)
    except (fmt.Damaged, sqlite3.Error, OSError, TypeError, ValueError):
        return None
    finally:
        conn.close()


def _zsh_escape(s: str) -> str:
    return (
        s.replace('"', '""')
        .replace("'", "''")
        .replace("$", "\\$")
        .replace("`", "\\`")
        .replace(":", r"\\:")
    )


def answer_process() -> int | None:
    """A completion request to this process answered here (the exit status), or None. Like
    `cli.environment`, it reads the process environment, once: that module costs more than a
    Tab press may."""
    if VAR not in os.environ:
        return None
    try:
        return answer(os.environ)
    except Exception:  # anything unforeseen: the full CLI answers (and never a traceback here)
        return None


def answer(environ: Mapping[str, str]) -> int | None:
    """Answer a completion request and return the exit status; None: the full CLI answers."""
    instruction, _, shell = environ.get(VAR, "").partition("_")
    if instruction != "complete" or shell not in SHELLS:
        return None
    request = _request(shell, environ)
    if request is None:
        return None
    args, incomplete = request
    what = _what(args, incomplete)
    if what is None:
        return None
    kind, catalogs, no_bundled = what
    found = names(environ, kind, catalogs, no_bundled, incomplete.lower())
    if found is None:
        return None
    if shell == "bash":
        text = "\n".join(found)
    elif shell == "zsh":
        listed = "\n".join(f'"{_zsh_escape(n)}"' for n in found)
        text = f"_arguments '*: :(({listed}))'" if found else "_files"
    else:
        action = environ.get("_TYPER_COMPLETE_FISH_ACTION", "")
        if action == "is-args":
            return 0 if found else 1
        text = "\n".join(found) if action == "get-args" else ""
    import sys

    stream = sys.stdout
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        data = (text + "\n").encode(encoding, getattr(stream, "errors", None) or "strict")
    except (UnicodeError, LookupError):
        return None
    return _write(data)


def _write(data: bytes) -> int:
    import sys

    try:
        while data:
            data = data[os.write(1, data) :]
    except BrokenPipeError:
        return 0
    except OSError as exc:
        try:
            sys.stderr.write(f"Error: cannot write the output: {exc.strerror or exc}.\n")
            sys.stderr.flush()
        except (OSError, ValueError, AttributeError):
            pass
        return 1
    return 0
