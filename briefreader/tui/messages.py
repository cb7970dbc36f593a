"""Messages the background workers post to the app (thread-safe: ``post_message``)."""

from __future__ import annotations

from typing import Any

from textual.message import Message


class LoadProgress(Message):
    def __init__(self, done: int, total: int) -> None:
        self.done = done
        self.total = total
        super().__init__()

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, LoadProgress)


class ArticlesStreamed(Message):
    """Provisional articles read so far (the final corpus follows with ``CorpusLoaded``)."""

    def __init__(self, articles: list[Any]) -> None:
        self.articles = articles
        super().__init__()


class CorpusLoaded(Message):
    def __init__(self, corpus: Any, seconds: float) -> None:
        self.corpus = corpus
        self.seconds = seconds
        super().__init__()


class CorpusFailed(Message):
    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__()


class IndexProgress(Message):
    def __init__(self, done: int, total: int) -> None:
        self.done = done
        self.total = total
        super().__init__()

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, IndexProgress)


class IndexReady(Message):
    def __init__(self, index: Any, searcher: Any, message: str) -> None:
        self.index = index
        self.searcher = searcher
        self.message = message
        super().__init__()


class IndexUnavailable(Message):
    """Search cannot be offered now; ``retry`` says whether to try again later (busy index)."""

    def __init__(self, message: str, retry: bool = False) -> None:
        self.message = message
        self.retry = retry
        super().__init__()


class SearchDone(Message):
    def __init__(self, query: str, results: Any, seconds: float) -> None:
        self.query = query
        self.results = results
        self.seconds = seconds
        super().__init__()


class SearchFailed(Message):
    def __init__(self, query: str, message: str) -> None:
        self.query = query
        self.message = message
        super().__init__()


class QuotesProgress(Message):
    def __init__(self, text: str) -> None:
        self.text = text
        super().__init__()

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, QuotesProgress)


class QuotesReady(Message):
    def __init__(self, data: Any, message: str) -> None:
        self.data = data
        self.message = message
        super().__init__()


class QuotesUnavailable(Message):
    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__()


class CopiesReady(Message):
    """The copy and story analysis of the corpus is done."""

    def __init__(self, analysis: Any) -> None:
        self.analysis = analysis
        super().__init__()


class CopiesUnavailable(Message):
    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__()
