"""Renderers turn query results into output: `table` (Rich), `jsonout` and `markdown`.

Each renderer module offers `render_list`, `render_show` and `render_compare`, returning text
(JSON and Markdown) or printing to a Rich console (table). They are imported only when used,
so JSON output never imports Rich.
"""
