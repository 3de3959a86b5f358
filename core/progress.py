"""A dependency-free progress bar for management commands."""

import time


class Progress:
    """Prints `label [#####.....] 50/100` to a command's stderr, redrawn in place on a terminal."""

    def __init__(self, stream, total, label="", width=30):
        self.stream = stream
        self.total = max(total, 0)
        self.label = label
        self.width = width
        self.done = 0
        self.started = time.monotonic()
        self.last_draw = 0.0
        self.interactive = getattr(getattr(stream, "_out", stream), "isatty", lambda: False)()

    def advance(self, step=1):
        self.done = min(self.done + step, self.total)
        now = time.monotonic()
        if self.done == self.total or now - self.last_draw > (0.2 if self.interactive else 5):
            self.last_draw = now
            self.draw()

    def draw(self):
        filled = self.width * self.done // self.total if self.total else self.width
        elapsed = time.monotonic() - self.started
        line = (
            f"{self.label} [{'#' * filled}{'.' * (self.width - filled)}] "
            f"{self.done}/{self.total} {elapsed:.0f}s"
        )
        if self.interactive:
            self.stream.write("\r" + line, ending="")
            if self.done == self.total:
                self.stream.write("")
        else:
            self.stream.write(line)
        self.stream.flush()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.done != self.total and self.interactive:
            self.stream.write("")
        return False
