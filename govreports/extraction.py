"""After a crawl: turn archived documents into reports, facts and checks.

A report is a detail page plus its attachments. The page's own text is the report unless
an attachment carries the tables (or the page is only a pointer to it), in which case the
attachment's extraction is stored, under the page's URL and title. A page whose content
equals a report the same portal already has (one report in the 部门 and the 本级 column)
is kept as a duplicate URL of that report, not as a second report.

Extraction runs in worker processes, outside Scrapy's reactor, each document under a time
limit (SIGALRM) and each worker under a memory limit (RLIMIT_AS), so one pathological
document can neither hang nor kill a run; a worker that dies anyway is replaced and its
document recorded as failed. Not pebble's per-task timeout: it ends the whole task and its
worker, where the alarm ends one document and keeps the page's or the other attachments'
results of the same report.
"""

import ctypes
import multiprocessing
import os
import resource
import signal
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager

from extractors.judge import content_verdict
from extractors.metadata import is_report_title
from extractors.report import DocumentError, extract_document
from storage import extraction_queue, reports, schema
from storage.batch import WriteBatch
from storage.warc import WarcArchive, archive_dir

DOC_TIME_LIMIT = 120  # seconds per document
WORKER_MEMORY_LIMIT = 3 * 1024**3  # bytes of address space per worker process
WRITE_BATCH = 500  # reports stored per transaction at most (storage/batch.py)


class DocumentTimeout(BaseException):
    """Not an Exception: libraries that catch every Exception (trafilatura retries its
    extraction under `except Exception`) must not swallow the time limit."""


def _on_alarm(signum, frame):
    raise DocumentTimeout()


def limit_worker(memory_limit, parent_pid):
    """Pool initializer: cap this worker's address space; make SIGALRM end a document;
    leave Ctrl-C to the parent (which stops the pool); die with the parent."""
    if memory_limit:
        resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
    signal.signal(signal.SIGALRM, _on_alarm)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's StopSignals: terminate() ends a worker
    die_with_parent(parent_pid)


STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class ArchiveUnreadable(OSError):
    """A WARC file of this machine's archive could not be read (no permission, a failing disk,
    a file gone): a local fault, never the document's. The run stops, what is stored is kept,
    nothing is recorded as failed, and the next run extracts the rest."""


class Interrupted(Exception):
    """SIGINT or SIGTERM during extraction: the reports stored so far are committed, the pool
    is stopped, the rest is left to the next run."""

    def __init__(self, signum):
        super().__init__(signum)
        self.signum = signum
        self.counts = None

    def __str__(self):
        stored = f"{self.counts['extracted']} reports stored; " if self.counts else ""
        return (
            f"interrupted by {signal.Signals(self.signum).name} during extraction: {stored}"
            "the next crawl or `govreports reextract` extracts the rest"
        )


class StopSignals:
    """SIGINT and SIGTERM while extracting (Scrapy's handlers, which only stop its reactor,
    would ignore them): noted at once, raised as Interrupted only where the database holds
    whole reports: while waiting for a worker, or between two stored reports."""

    def __init__(self):
        self.signum = None
        self.waiting = False
        self.previous = {}

    def __enter__(self):
        if threading.current_thread() is threading.main_thread():
            self.previous = {signum: signal.signal(signum, self.on_signal) for signum in STOP_SIGNALS}
        return self

    def __exit__(self, *exc):
        for signum, handler in self.previous.items():
            signal.signal(signum, handler)

    def on_signal(self, signum, frame):
        self.signum = signum
        if self.waiting:
            raise Interrupted(signum)

    def check(self):
        if self.signum is not None:
            raise Interrupted(self.signum)

    @contextmanager
    def waiting_for_a_worker(self):
        self.check()
        self.waiting = True
        try:
            yield
        finally:
            self.waiting = False


def stop_pool(pool):
    """End the pool's workers now (a document may take minutes), then the pool."""
    for worker in multiprocessing.active_children():
        worker.terminate()
    pool.shutdown(wait=True, cancel_futures=True)


PR_SET_PDEATHSIG = 1  # prctl option (linux/prctl.h): a signal for this process when its parent dies


def die_with_parent(parent_pid):
    """A parent killed with SIGKILL cannot stop its pool: its workers would idle forever,
    holding the parent's lock on the database (they share its open files). Linux sends them
    SIGKILL when the parent dies; one already gone ends the worker now."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
    if os.getppid() != parent_pid:
        os._exit(1)


def extract_limited(data, name, url, http_charset, time_limit, images=None):
    """Worker: one document under the time limit. (result, None), or (None, (kind, message))
    when it cannot be read, took too long or needed too much memory."""
    signal.alarm(time_limit)
    try:
        return extract_document(data, name=name, url=url, http_charset=http_charset, images=images), None
    except (DocumentTimeout, Exception) as error:  # a reader's bug or a library's odd exception too
        return None, failure_of(error, time_limit)
    finally:
        signal.alarm(0)


def failure_of(error, time_limit):
    """(kind, message) recorded for a document that could not be extracted."""
    if isinstance(error, DocumentTimeout):
        return "extract_timeout", f"extraction took longer than {time_limit} s; stopped"
    if isinstance(error, MemoryError):
        return "extract_memory", "extraction needed more memory than a worker may use"
    if isinstance(error, (DocumentError, OSError, ValueError)):
        return "unreadable", str(error)
    return "extract_error", f"{type(error).__name__}: {error}"


# Content-Type words that name a format: "application/pdf" -> pdf, "text/html" -> html
DECLARED_FORMATS = (("pdf", "pdf"), ("html", "html"), ("wordprocessingml", "docx"), ("msword", "doc"))


def declared_format(content_type):
    lowered = (content_type or "").lower()
    return next((fmt for word, fmt in DECLARED_FORMATS if word in lowered), None)


def article_images(archive, attachments):
    """{url: bytes} of the page's archived article images (for tables published as pictures)."""
    images = {}
    for doc in attachments:
        if doc["role"] == "image" and doc["warc_file"] is not None:
            try:
                images[doc["url"]] = read_archived(archive, doc)
            except ArchiveUnreadable:
                raise
            except Exception:  # a damaged record: that picture is not at hand, the rest is read
                continue
    return images


def read_archived(archive, doc):
    """The archived payload of doc; ArchiveUnreadable when this machine cannot read its file (a
    damaged record raises what the WARC reader raises)."""
    try:
        return archive.read(doc["warc_file"], doc["warc_offset"])
    except OSError as error:
        raise ArchiveUnreadable(
            f"the archive file {doc['warc_file']} cannot be read on this machine ({error.strerror or error}); "
            "nothing was recorded as failed: the next run extracts what is left"
        ) from None


def extract_group(archive_root, page, attachments, time_limit=DOC_TIME_LIMIT):
    """Worker: extract a page and its attachments.
    Returns (page, attachments, best result or None, [(url, kind, message)], succeeded urls)."""
    archive = WarcArchive(archive_root)
    errors, results, succeeded = [], [], []
    images = article_images(archive, attachments)
    for doc in [page] + [d for d in attachments if d["role"] != "image"]:
        if doc["warc_file"] is None:
            errors.append((doc["url"], "unreadable", "no archived capture of this document"))
            continue
        try:
            data = read_archived(archive, doc)
        except ArchiveUnreadable:
            raise
        except Exception as error:  # a damaged record: recorded, never raised
            errors.append((doc["url"], *failure_of(error, time_limit)))
            continue
        result, failure = extract_limited(
            data, doc["url"], doc["url"], doc.get("http_charset"), time_limit, images if doc is page else None
        )
        if failure:
            errors.append((doc["url"], *failure))
            continue
        declared = declared_format(doc.get("content_type"))
        if (
            declared
            and declared != result["source_format"]
            and not (declared == "doc" and result["source_format"] == "docx")
        ):
            errors.append(
                (
                    doc["url"],
                    "mislabelled",
                    f"served as {doc['content_type']} but the bytes are "
                    f"{result['source_format']}; read as {result['source_format']}",
                )
            )
        errors += [(doc["url"], w["kind"], w["message"]) for w in result["warnings"]]
        result["source_url"] = doc["url"]
        results.append(result)
        succeeded.append(doc["url"])
    if not results:
        return page, attachments, None, errors, succeeded
    best = results[0]
    for result in results[1:]:
        if _better(result, best):
            best = result
    # Metadata the attachment lacks (a PDF rarely says when it was put online) comes from the page.
    for field in ("title", "agency", "year", "published"):
        if best[field] is None:
            best[field] = next((r[field] for r in results if r[field] is not None), None)
    best["row"] = extraction_queue.prepared_row(page, attachments, best)
    return page, attachments, best, errors, succeeded


def _better(candidate, current):
    """More facts wins; with equal facts, an attachment wins over a page that only points to it."""
    if len(candidate["facts"]) != len(current["facts"]):
        return len(candidate["facts"]) > len(current["facts"])
    return len(current["text"]) < 300 <= len(candidate["text"])


def extract_pending(
    db_path,
    workers=None,
    only_changed=True,
    time_limit=DOC_TIME_LIMIT,
    memory_limit=WORKER_MEMORY_LIMIT,
    progress=None,
):
    """Extract every report whose sources or extractor version changed. Returns counts:
    extracted (looked at), changed (content differed: rows rewritten), duplicates (pages
    kept as another report's URL), failed. progress(done, total) is called as reports complete."""
    db = schema.open_db(db_path)
    root = str(archive_dir(db_path))
    counts = {"extracted": 0, "changed": 0, "failed": 0, "duplicates": 0, "rejected": 0}
    workers = workers or os.cpu_count() or 1
    groups = extraction_queue.pending_groups(db, only_changed)
    held = extraction_queue.held_duplicates(db)
    limits = (workers, time_limit, memory_limit)
    try:
        with StopSignals() as stop:
            _extract_groups(db, root, groups, limits, counts, progress, stop)
            # Pages held as duplicates of a report whose content just changed were released: look again.
            released = held - extraction_queue.held_duplicates(db) - {page["url"] for page, _ in groups}
            if released:
                again = [group for group in extraction_queue.pending_groups(db) if group[0]["url"] in released]
                _extract_groups(db, root, again, limits, counts, progress, stop)
            # what is computed over several reports is recomputed from the stored state: an
            # interrupted run is followed by one that leaves the same database
            reports.refresh_cross_year_checks(db)
            reports.refresh_summaries(db)
            stop.check()  # a signal during the refresh still ends the run non-zero
    except Interrupted as interrupted:
        interrupted.counts = counts
        raise
    finally:
        db.close()
    return counts


def _extract_groups(db, root, groups, limits, counts, progress, stop):
    """Extract groups in a process pool and store each outcome. On SIGINT or SIGTERM (stop),
    or an archive file this machine cannot read, the stored outcomes are committed, the pool
    stopped, and Interrupted or ArchiveUnreadable raised."""
    workers, time_limit, memory_limit = limits
    remaining = list(groups)
    while remaining:
        pool = ProcessPoolExecutor(max_workers=workers, initializer=limit_worker, initargs=(memory_limit, os.getpid()))
        futures = [(group, pool.submit(extract_group, root, *group, time_limit)) for group in remaining]
        remaining = []
        with WriteBatch(db, size=WRITE_BATCH) as batch:
            try:
                for group, future in futures:
                    if not future.done():
                        batch.commit()  # what is stored is committed before the writer waits
                    try:
                        with stop.waiting_for_a_worker():
                            outcome = future.result()
                    except BrokenProcessPool:
                        remaining.append(group)
                        continue
                    _store_outcome(db, outcome, counts)
                    batch.wrote()
                    if progress:
                        progress(counts["extracted"] + counts["failed"], len(groups))
                stop.check()  # a worker killed by the signal is no crash of its document
            except (Interrupted, ArchiveUnreadable):
                batch.commit()
                stop_pool(pool)
                raise
        pool.shutdown(cancel_futures=True)
        if remaining and workers == 1:
            # this group alone killed its worker: record it, go on with the rest
            page, docs = remaining.pop(0)
            extraction_queue.record_report_failure(
                db, page, docs, "worker_crash", "the extraction worker died (out of memory or crashed) on this report"
            )
            counts["failed"] += 1
        workers = 1  # after a crash, isolate documents to find the one that kills workers


def _store_outcome(db, outcome, counts):
    page, docs, result, errors, succeeded = outcome
    extraction_queue.record_document_findings(db, page, docs, errors, succeeded)
    if result is None:
        extraction_queue.record_report_failure(
            db,
            page,
            docs,
            "no_readable_document",
            "neither the report page nor its attachments could be read: "
            + "; ".join(message for _, _, message in errors),
        )
        counts["failed"] += 1
        return
    extraction_queue.clear_report_failure(db, page)
    title = page.get("title") if is_report_title(page.get("title") or "") else result["title"] or page.get("title")
    is_report, reason = content_verdict(title, result["text"], len(result["facts"]))
    if not is_report:  # a candidate under a vague title that is something else
        extraction_queue.reject_report(db, page, docs, title, reason)
        counts["rejected"] += 1
        return
    counts["extracted"] += 1
    outcome = extraction_queue.save(db, page, docs, result)
    if outcome == extraction_queue.DUPLICATE:
        counts["duplicates"] += 1
    elif outcome:
        counts["changed"] += 1
