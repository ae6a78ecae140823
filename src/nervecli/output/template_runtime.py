"""What the compiled handout (`handout_compiled.py`) needs to run, without importing Jinja2.

The handout is Jinja2's own compiled code (written by `python -m nervecli.output.draw_html`).
Importing Jinja2 imports its lexer, parser and compiler too, which cost a run more than the
page takes to draw; the compiled code itself needs only these pieces of Jinja2's runtime, each
written here with the behaviour Jinja2 gives it (3.1), and MarkupSafe's `escape`, the function
Jinja2's autoescaping calls. Only the names, filters and tests listed here can be used:
`compiled_source` refuses a template that needs anything else, and a test renders every view
both ways and compares the bytes.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from markupsafe import Markup, escape

__all__ = ["NAMES", "Environment", "LoopContext", "Macro", "Undefined", "escape", "render"]


class _Missing:
    def __repr__(self) -> str:
        return "missing"


missing: Any = _Missing()


class UndefinedError(Exception):
    pass


class Undefined:
    """Jinja2's default undefined value: false, empty and printed as nothing; anything else
    done with it is an error."""

    __slots__ = ("_hint", "_name")

    def __init__(self, hint: str | None = None, obj: Any = missing, name: str | None = None):
        self._hint, self._name = hint, name

    def _fail(self, *args: Any, **kwargs: Any) -> Any:
        raise UndefinedError(self._hint or f"{self._name!r} is undefined")

    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __truediv__ = _fail
    __lt__ = __le__ = __gt__ = __ge__ = __getitem__ = __call__ = __int__ = __float__ = _fail

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return self._fail()

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other)

    def __hash__(self) -> int:
        return id(type(self))

    def __str__(self) -> str:
        return ""

    def __len__(self) -> int:
        return 0

    def __iter__(self) -> Iterator[Any]:
        yield from ()

    def __bool__(self) -> bool:
        return False


class LoopContext:
    """`loop` inside a `{% for %}`: the compiled code iterates it as (item, loop) pairs."""

    index0 = 0
    last = False

    def __init__(self, iterable: Iterable[Any], undefined: Any, *unused: Any) -> None:
        self._items = list(iterable)

    def __iter__(self) -> Iterator[tuple[Any, LoopContext]]:
        end = len(self._items) - 1
        for n, item in enumerate(self._items):
            self.index0, self.last = n, n == end
            yield item, self

    @property
    def index(self) -> int:
        return self.index0 + 1

    @property
    def first(self) -> bool:
        return self.index0 == 0

    @property
    def length(self) -> int:
        return len(self._items)


class Macro:
    """A `{% macro %}`: called with its positional arguments (those left out are missing);
    under autoescaping what it returns is markup, so it is not escaped again."""

    def __init__(
        self, environment: Any, func: Callable[..., str], name: str, arguments: Any, *flags: bool
    ) -> None:
        # flags: catch_kwargs, catch_varargs, caller (never set here), default_autoescape
        if any(flags[:3]):
            raise NotImplementedError("macros with **kwargs, *varargs or a caller")
        self._func, self._count, self._autoescape = func, len(arguments), flags[3]
        self.name = name

    def __call__(self, *args: Any) -> Any:
        if len(args) > self._count:
            raise TypeError(f"macro {self.name!r} takes not more than {self._count} argument(s)")
        rv = self._func(*args, *[missing] * (self._count - len(args)))
        return Markup(rv) if self._autoescape else rv


class _EvalContext:
    def __init__(self, autoescape: bool) -> None:
        self.autoescape, self.volatile = autoescape, False


class Context:
    """A render's variables: the globals and what `render` is given."""

    def __init__(self, environment: Environment, variables: dict[str, Any]) -> None:
        self.environment, self.parent = environment, variables
        self.vars: dict[str, Any] = {}
        self.exported_vars: set[str] = set()
        self.eval_ctx = _EvalContext(environment.autoescape)

    def resolve_or_missing(self, key: str) -> Any:
        if key in self.vars:
            return self.vars[key]
        return self.parent.get(key, missing)

    def call(self, obj: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        kwargs.pop("_block_vars", None)
        kwargs.pop("_loop_vars", None)
        try:
            return obj(*args, **kwargs)
        except StopIteration:
            return self.environment.undefined("a callable raised a StopIteration exception")


def _attribute(environment: Environment, name: str) -> Callable[[Any], Any]:
    parts = [int(p) if p.isdigit() else p for p in name.split(".")]

    def get(item: Any) -> Any:
        for part in parts:
            item = environment.getitem(item, part)
        return item

    return get


def _select(context: Context, value: Iterable[Any], args: tuple[Any, ...], keep: bool,
            by_attribute: bool) -> Iterator[Any]:  # fmt: skip
    env = context.environment
    pick = _attribute(env, args[0]) if by_attribute else (lambda item: item)
    args = args[1:] if by_attribute else args
    if not args:
        return (item for item in value if bool(pick(item)) is keep)
    test, test_args = env.tests[args[0]], args[1:]
    return (item for item in value if bool(test(pick(item), *test_args)) is keep)


def _join(eval_ctx: _EvalContext, value: Iterable[Any], d: str = "") -> str:
    if not eval_ctx.autoescape:
        return str(d).join(map(str, value))
    items = list(value)
    if not any(hasattr(item, "__html__") for item in items):
        return str(d).join(map(str, items))
    return escape(d).join(items)


def _map(context: Context, value: Iterable[Any], *args: Any, **kwargs: Any) -> Iterator[Any]:
    env = context.environment
    if not args and set(kwargs) == {"attribute"}:
        get = _attribute(env, kwargs["attribute"])
        return (get(item) for item in value)
    if kwargs:
        raise NotImplementedError("map with keyword arguments")
    name, rest = args[0], args[1:]
    return (env.filters[name](item, *rest) for item in value)


def _min(environment: Environment, value: Iterable[Any], case_sensitive: bool = False) -> Any:
    items = list(value)
    if not items:
        return environment.undefined("No aggregated item, sequence was empty.")
    if case_sensitive:
        return min(items)
    return min(items, key=lambda x: x.lower() if isinstance(x, str) else x)


def _range(*args: int) -> range:
    rng = range(*args)
    if len(rng) > 100000:  # Jinja2's MAX_RANGE
        raise OverflowError("Range too big. The sandbox blocks ranges larger than MAX_RANGE.")
    return rng


FILTERS: dict[str, Callable[..., Any]] = {
    "join": _join,
    "length": len,
    "count": len,
    "list": lambda eval_ctx, value: list(value),
    "map": _map,
    "min": _min,
    "select": lambda ctx, value, *a: _select(ctx, value, a, True, False),
    "reject": lambda ctx, value, *a: _select(ctx, value, a, False, False),
    "selectattr": lambda ctx, value, *a: _select(ctx, value, a, True, True),
    "rejectattr": lambda ctx, value, *a: _select(ctx, value, a, False, True),
}
TESTS: dict[str, Callable[..., bool]] = {
    "defined": lambda value: not isinstance(value, Undefined),
    "undefined": lambda value: isinstance(value, Undefined),
    "none": lambda value: value is None,
    **dict.fromkeys(("==", "eq", "equalto"), operator.eq),
    **dict.fromkeys(("!=", "ne"), operator.ne),
    **dict.fromkeys((">", "gt", "greaterthan"), operator.gt),
    **dict.fromkeys((">=", "ge"), operator.ge),
    **dict.fromkeys(("<", "lt", "lessthan"), operator.lt),
    **dict.fromkeys(("<=", "le"), operator.le),
}
GLOBALS: dict[str, Any] = {"range": _range}

# The names of Jinja2's runtime that compiled code may import from here.
NAMES = ("LoopContext", "Macro", "Markup", "Undefined", "escape", "missing")


class Environment:
    """The part of a Jinja2 environment that compiled code reads: its filters and tests,
    attribute and item lookup, the undefined value and how output is joined."""

    undefined = Undefined
    concat = "".join

    def __init__(self, filters: dict[str, Callable[..., Any]], autoescape: bool = True) -> None:
        self.filters = {**FILTERS, **filters}
        self.tests = dict(TESTS)
        self.autoescape = autoescape

    def getattr(self, obj: Any, attribute: str) -> Any:
        try:
            return getattr(obj, attribute)
        except AttributeError:
            pass
        try:
            return obj[attribute]
        except (TypeError, LookupError, AttributeError):
            return self.undefined(obj=obj, name=attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        try:
            return obj[argument]
        except (AttributeError, TypeError, LookupError):
            if isinstance(argument, str):
                try:
                    return getattr(obj, argument)
                except AttributeError:
                    pass
            return self.undefined(obj=obj, name=argument)


def render(module: Any, environment: Environment, variables: dict[str, Any]) -> str:
    """Render a compiled template module with `variables` (its globals and arguments), as
    Jinja2's `Template.render` does."""
    namespace = vars(module)
    namespace["environment"] = environment  # as Jinja2's Template.from_module_dict does
    context = Context(environment, {**GLOBALS, **variables})
    return environment.concat(namespace["root"](context))
