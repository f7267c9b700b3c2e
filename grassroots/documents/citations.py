"""The document rules are the project's own (registered with core.citations from DocumentsConfig.ready())."""

SOURCES = {
    "DOC-TYPE": (),
    "DOC-SIZE": (),
    "DOC-EMPTY": (),
    "DOC-ARCHIVE": (),
}
