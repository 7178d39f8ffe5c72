"""Messages that count as people do: "Comment approved." for one, "3 comments approved." for
several, and a plain sentence when none was, never "1 comment(s)"."""


def counted(count, one, several, none):
    """`one` and `none` are whole sentences; `several` has `{count}` where the number goes."""
    if count == 1:
        return one
    if count == 0:
        return none
    return several.format(count=count)
