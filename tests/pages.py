"""Reading rendered pages in tests: the links a user is offered, the errors next to a field
and the messages shown."""

from html.parser import HTMLParser


class _Links(HTMLParser):
    """The href of every <a> inside the given elements (e.g. header, main)."""

    def __init__(self, inside: set[str]):
        super().__init__()
        self.inside, self.depth, self.hrefs = inside, 0, []

    def handle_starttag(self, tag, attrs):
        if tag in self.inside:
            self.depth += 1
        elif tag == "a" and self.depth and dict(attrs).get("href"):
            self.hrefs.append(dict(attrs)["href"])

    def handle_endtag(self, tag):
        if tag in self.inside:
            self.depth -= 1


def links(html: str, inside: set[str]) -> list[str]:
    """The site's own links (paths) inside the given elements, in page order."""
    parser = _Links(inside)
    parser.feed(html)
    return [href for href in parser.hrefs if href.startswith("/")]


def field_errors(response, field: str, form: str = "form") -> list[str]:
    """The errors a page's form shows next to one field."""
    return [str(e) for e in response.context[form].errors.get(field, [])]


def messages_of(response) -> list[str]:
    """Every message the page's request holds: those it added and those still unread."""
    return [str(m) for m in response.wsgi_request._messages]
