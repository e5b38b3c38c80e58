"""The paper's action-block format, parsed exactly as core/decision.ts parses it (keep the two in step).

A Python code block of calls, one or several per line:

    watch(12.5)            watch(second=5)      like()
    comment("nice")        comment(好看)         share("friend")   share()
    not_interested()

The first fenced block is read (or the whole text when there is none). A call given twice, an unknown
name, a bad argument or an empty block is an error naming the line. A block without watch() watches
0 s: the paper scores a predicted non-watch action as 0 s.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

ACTIONS = ("watch", "like", "comment", "share", "not_interested")
# Argument names in the paper's prompt: watch(second: float = 5.0), comment(text), share(who).
KEYWORD = {"watch": "second", "comment": "text", "share": "who"}
DEFAULT_WATCH_SECONDS = 5.0
ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "\\": "\\", "'": "'", '"': '"'}
_NAME = re.compile(r"[A-Za-z_]\w*", re.ASCII)
_HEX4 = re.compile(r"[0-9a-fA-F]{4}")
# JavaScript's Number() accepts these; anything else is not a number of seconds.
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?|0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+")


@dataclass(frozen=True)
class Decision:
    watch_seconds: float
    like: bool = False
    comment: str | None = None
    share: str | None = None
    not_interested: bool = False
    # The call names in the block, so rewards can compare action sets (watch() included only when written).
    actions: frozenset[str] = frozenset()


class ActionBlockError(ValueError):
    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


def _read_quoted(line: str, start: int) -> tuple[str, int]:
    quote = line[start]
    value = []
    i = start + 1
    while i < len(line):
        ch = line[i]
        if ch == quote:
            return "".join(value), i + 1
        if ch != "\\":
            value.append(ch)
            i += 1
            continue
        nxt = line[i + 1] if i + 1 < len(line) else ""
        hex4 = line[i + 2 : i + 6]
        if nxt == "u" and _HEX4.fullmatch(hex4):
            value.append(chr(int(hex4, 16)))
            i += 6
        else:
            value.append(ESCAPES.get(nxt, "\\" + nxt))
            i += 2
    raise ValueError("unterminated string")


def _read_argument(line: str, action: str, start: int) -> tuple[str | None, int]:
    i = start
    keyword = KEYWORD.get(action)
    if keyword:
        named = re.match(rf"\s*{keyword}\s*=(?!=)\s*", line[i:])
        if named:
            i += named.end()
    while i < len(line) and line[i] in " \t":
        i += 1
    if i < len(line) and line[i] in "\"'":
        value, end = _read_quoted(line, i)
        while end < len(line) and line[end] in " \t":
            end += 1
        if end >= len(line) or line[end] != ")":
            raise ValueError(f'expected ")" after the string argument of {action}()')
        return value, end + 1
    # Unquoted text, as the released data writes comments: everything up to the matching ")".
    depth = 1
    for j in range(i, len(line)):
        if line[j] == "(":
            depth += 1
        elif line[j] == ")":
            depth -= 1
            if depth == 0:
                text = line[i:j].strip()
                return (text or None), j + 1
    raise ValueError(f'missing ")" for {action}(')


def _read_calls(line: str) -> list[tuple[str, str | None]]:
    calls = []
    i = 0
    while i < len(line):
        ch = line[i]
        if ch.isspace() or ch in ",;":
            i += 1
            continue
        if ch == "#":
            break
        name_match = _NAME.match(line, i)
        if not name_match:
            raise ValueError(f'unexpected "{line[i:]}"')
        name = name_match.group(0)
        if name not in ACTIONS:
            expected = ", ".join(f"{a}()" for a in ACTIONS)
            raise ValueError(f'unknown action "{name}" (expected {expected})')
        i += len(name)
        while i < len(line) and line[i] in " \t":
            i += 1
        if i >= len(line) or line[i] != "(":
            raise ValueError(f'expected "(" after {name}')
        argument, i = _read_argument(line, name, i + 1)
        calls.append((name, argument))
    return calls


def _action_lines(text: str) -> tuple[list[str], int]:
    opening = re.search(r"```[^\n]*\n", text)
    if not opening:
        return text.split("\n"), 1
    start = opening.end()
    close = text.find("```", start)
    body = text[start:] if close == -1 else text[start:close]
    return body.split("\n"), text[:start].count("\n") + 1


def _seconds(argument: str | None) -> float | None:
    if argument is None:
        return DEFAULT_WATCH_SECONDS
    text = argument.strip()
    if text == "":
        return 0.0  # Number("") is 0 in JavaScript
    if not _NUMBER.fullmatch(text):
        return None
    value = float(int(text, 0)) if text[:2].lower() in ("0x", "0o", "0b") else float(text)
    return value if math.isfinite(value) and value >= 0 else None


def _line_error(number: int, line: str, problem: str) -> ActionBlockError:
    return ActionBlockError(f'line {number}: {problem} in "{line}"', number)


def parse_action_block(text: str) -> Decision:
    """Parses an action block; raises ActionBlockError naming the line (numbered within `text`)."""
    lines, first_line_number = _action_lines(text)
    seen_on: dict[str, int] = {}
    fields: dict = {"watch_seconds": 0.0}
    for offset, raw in enumerate(lines):
        line = raw.strip()
        number = first_line_number + offset
        try:
            calls = _read_calls(line)
        except ValueError as error:
            raise _line_error(number, line, str(error)) from None
        for action, argument in calls:
            if action in seen_on:
                raise _line_error(number, line, f"{action}() given twice (first on line {seen_on[action]})")
            seen_on[action] = number
            if action == "watch":
                seconds = _seconds(argument)
                if seconds is None:
                    raise _line_error(number, line, f'watch() needs a non-negative number of seconds, got "{argument}"')
                fields["watch_seconds"] = seconds
            elif action in ("like", "not_interested"):
                if argument is not None:
                    raise _line_error(number, line, f"{action}() takes no argument")
                fields[action] = True
            elif action == "comment":
                if not argument:
                    raise _line_error(number, line, "comment() needs text")
                fields["comment"] = argument
            else:
                fields["share"] = argument or ""
    if not seen_on:
        raise ActionBlockError("no action found: expected lines such as watch(12.5) and like()")
    return Decision(**fields, actions=frozenset(seen_on))


def try_parse_action_block(text: str) -> Decision | None:
    try:
        return parse_action_block(text)
    except ActionBlockError:
        return None
