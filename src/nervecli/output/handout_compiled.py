# Generated from templates/handout.html.j2 by `python -m nervecli.output.draw_html`.
# Do not edit: change the template and run that again.
# fmt: off
# ruff: noqa
# mypy: ignore-errors
SOURCE_CRC = 0x34346432
from nervecli.output.template_runtime import LoopContext, Macro, Undefined, escape, missing
name = 'handout.html.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_doc = resolve('doc')
    l_0_words = resolve('words')
    l_0_item = l_0_cell = missing
    t_1 = environment.filters['length']
    t_2 = environment.filters['list']
    t_3 = environment.filters['map']
    t_4 = environment.filters['min']
    t_5 = environment.filters['rejectattr']
    t_6 = environment.filters['select']
    t_7 = environment.filters['selectattr']
    t_8 = environment.filters['visible']
    t_9 = environment.tests['none']
    pass
    def macro(l_1_i):
        t_10 = []
        l_1_icon_rows = resolve('icon_rows')
        l_1_rows = resolve('rows')
        l_1_wide = resolve('wide')
        l_1_pieces = resolve('pieces')
        if l_1_i is missing:
            l_1_i = undefined("parameter 'i' was not provided", name='i')
        pass
        if environment.getattr(l_1_i, 'icons'):
            pass
            l_1_rows = context.call((undefined(name='icon_rows') if l_1_icon_rows is missing else l_1_icon_rows), environment.getattr(l_1_i, 'icons'))
            l_1_wide = (6 * t_4(environment, [environment.getattr(environment.getattr(l_1_i, 'icons'), 'total'), 10]))
            t_10.extend((
                '<svg class="icons" role="img" aria-label="',
                escape(environment.getattr(environment.getattr(l_1_i, 'icons'), 'alt')),
                '" width="',
                escape(((3 * (undefined(name='wide') if l_1_wide is missing else l_1_wide)) // 2)),
                '" height="',
                escape((9 * t_1((undefined(name='rows') if l_1_rows is missing else l_1_rows)))),
                '" viewBox="0 0 ',
                escape((undefined(name='wide') if l_1_wide is missing else l_1_wide)),
                ' ',
                escape((6 * t_1((undefined(name='rows') if l_1_rows is missing else l_1_rows)))),
                '"><title>',
                escape(environment.getattr(environment.getattr(l_1_i, 'icons'), 'alt')),
                '</title>',
            ))
            l_2_loop = missing
            for l_2_row, l_2_loop in LoopContext((undefined(name='rows') if l_1_rows is missing else l_1_rows), undefined):
                l_2_y = missing
                _loop_vars = {}
                pass
                l_2_y = environment.getattr(l_2_loop, 'index0')
                _loop_vars['y'] = l_2_y
                l_3_loop = missing
                for l_3_filled, l_3_loop in LoopContext(l_2_row, undefined):
                    _loop_vars = {}
                    pass
                    t_10.extend((
                        '<circle cx="',
                        escape(((6 * environment.getattr(l_3_loop, 'index0')) + 3)),
                        '" cy="',
                        escape(((6 * (undefined(name='y') if l_2_y is missing else l_2_y)) + 3)),
                        '" r="2.3"',
                    ))
                    if l_3_filled:
                        pass
                        t_10.append(
                            ' class="on"',
                        )
                    else:
                        pass
                        t_10.append(
                            ' class="off"',
                        )
                    t_10.append(
                        '/>',
                    )
                l_3_loop = l_3_filled = missing
            l_2_loop = l_2_row = l_2_y = missing
            t_10.append(
                '</svg> ',
            )
        t_10.extend((
            '<span class="t ',
            escape(environment.getattr(l_1_i, 'style')),
            '">',
        ))
        for l_2_p in context.call((undefined(name='pieces') if l_1_pieces is missing else l_1_pieces), l_1_i):
            _loop_vars = {}
            pass
            if environment.getattr(l_2_p, 'marked'):
                pass
                t_10.extend((
                    '<mark>',
                    escape(environment.getattr(l_2_p, 'text')),
                    '</mark>',
                ))
            else:
                pass
                t_10.append(
                    escape(environment.getattr(l_2_p, 'text')),
                )
        l_2_p = missing
        t_10.append(
            '</span>',
        )
        if environment.getattr(l_1_i, 'notes'):
            pass
            t_10.append(
                ' <span class="cite">[',
            )
            l_2_loop = missing
            for l_2_n, l_2_loop in LoopContext(environment.getattr(l_1_i, 'notes'), undefined):
                _loop_vars = {}
                pass
                t_10.extend((
                    '<a href="#source-',
                    escape(l_2_n),
                    '">',
                    escape(l_2_n),
                    '</a>',
                ))
                if (not environment.getattr(l_2_loop, 'last')):
                    pass
                    t_10.append(
                        ',',
                    )
            l_2_loop = l_2_n = missing
            if environment.getattr(l_1_i, 'promotional'):
                pass
                t_10.extend((
                    ', <span class="promo">',
                    escape(environment.getattr((undefined(name='words') if l_0_words is missing else l_0_words), 'PROMOTIONAL')),
                    '</span>',
                ))
            t_10.append(
                ']</span>',
            )
        elif environment.getattr(l_1_i, 'promotional'):
            pass
            t_10.extend((
                ' <span class="promo">(',
                escape(environment.getattr((undefined(name='words') if l_0_words is missing else l_0_words), 'PROMOTIONAL')),
                ')</span>',
            ))
        if (environment.getattr((undefined(name='doc') if l_0_doc is missing else l_0_doc), 'quotes') and environment.getattr(l_1_i, 'quote')):
            pass
            t_10.extend((
                '<br><q class="quote">',
                escape(t_8(environment.getattr(l_1_i, 'quote'))),
                '</q>',
            ))
        return concat(t_10)
    context.exported_vars.add('item')
    context.vars['item'] = l_0_item = Macro(environment, macro, 'item', ('i',), False, False, False, context.eval_ctx.autoescape)
    def macro(l_1_items):
        t_11 = []
        l_1_styles = resolve('styles')
        l_1_labels = l_1_rest = missing
        if l_1_items is missing:
            l_1_items = undefined("parameter 'items' was not provided", name='items')
        pass
        l_1_labels = t_2(context.eval_ctx, t_7(context, l_1_items, 'style', 'equalto', environment.getattr((undefined(name='styles') if l_1_styles is missing else l_1_styles), 'LABEL')))
        l_1_rest = t_2(context.eval_ctx, t_5(context, l_1_items, 'style', 'equalto', environment.getattr((undefined(name='styles') if l_1_styles is missing else l_1_styles), 'LABEL')))
        for l_2_i in (undefined(name='labels') if l_1_labels is missing else l_1_labels):
            _loop_vars = {}
            pass
            t_11.extend((
                '<p class="lead">',
                escape(context.call((undefined(name='item') if l_0_item is missing else l_0_item), l_2_i, _loop_vars=_loop_vars)),
                '</p>',
            ))
        l_2_i = missing
        if (t_1(t_2(context.eval_ctx, t_5(context, (undefined(name='rest') if l_1_rest is missing else l_1_rest), 'style', 'equalto', environment.getattr((undefined(name='styles') if l_1_styles is missing else l_1_styles), 'DIM')))) > 1):
            pass
            t_11.append(
                '<ul>',
            )
            for l_2_i in (undefined(name='rest') if l_1_rest is missing else l_1_rest):
                _loop_vars = {}
                pass
                t_11.extend((
                    '<li>',
                    escape(context.call((undefined(name='item') if l_0_item is missing else l_0_item), l_2_i, _loop_vars=_loop_vars)),
                    '</li>',
                ))
            l_2_i = missing
            t_11.append(
                '</ul>',
            )
        else:
            pass
            for l_2_i in (undefined(name='rest') if l_1_rest is missing else l_1_rest):
                _loop_vars = {}
                pass
                t_11.extend((
                    '<div>',
                    escape(context.call((undefined(name='item') if l_0_item is missing else l_0_item), l_2_i, _loop_vars=_loop_vars)),
                    '</div>',
                ))
            l_2_i = missing
        return concat(t_11)
    context.exported_vars.add('cell')
    context.vars['cell'] = l_0_cell = Macro(environment, macro, 'cell', ('items',), False, False, False, context.eval_ctx.autoescape)
    yield '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n<meta name="generator" content="nervecli">\n<title>'
    yield escape(t_8(environment.getattr((undefined(name='doc') if l_0_doc is missing else l_0_doc), 'title')))
    yield ' — information to discuss with a doctor</title>\n<style>\n:root { --ink: #1a1a1a; --soft: #555; --rule: #bbb; --promo: #7a4b00; }\nhtml { font: 11pt/1.4 "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: var(--ink); }\nbody { max-width: 60rem; margin: 1.5rem auto; padding: 0 1rem; }\nh1 { font-size: 1.6em; margin: 0 0 .2em; }\nh2 { font-size: 1.2em; margin: 1.1em 0 .3em; border-bottom: 1px solid var(--rule); }\nh3 { font-size: 1.05em; margin: .9em 0 .2em; }\np, ul { margin: .3em 0 .6em; }\n.subtitle, .dim, .colophon { color: var(--soft); }\n.dim { font-style: italic; }\n.strong, .label { font-weight: bold; }\n.cite { color: var(--soft); font-size: .85em; white-space: nowrap; }\n.cite a { color: inherit; }\n.promo { font-style: italic; border: 1px solid var(--promo); color: var(--promo); border-radius: 3px; padding: 0 .2em; font-size: .9em; }\n.disclaimer { border: 1px solid var(--ink); padding: .4em .6em; font-weight: bold; }\ntable { border-collapse: collapse; width: 100%; margin: .6em 0 1em; table-layout: fixed; }\ncol.question { width: 8.5em; }\ntd, th { overflow-wrap: break-word; }\n.lead { margin: 0 0 .2em; }\nth, td { border: 1px solid var(--rule); padding: .35em .5em; vertical-align: top; text-align: left; }\nthead th { background: #eee; }\ntd ul { padding-left: 1.1em; margin: 0; }\n.icons { float: left; margin: .15em .5em .2em 0; }\nli::after, td div::after { content: ""; display: block; clear: both; }\n.icons .on { fill: var(--ink); stroke: var(--ink); }\n.icons .off { fill: none; stroke: var(--ink); stroke-width: .8; }\n.quote { display: block; color: var(--soft); font-style: italic; font-size: .9em; }\npre { white-space: pre-wrap; font-size: .85em; }\n.notes .line { border-bottom: 1px solid var(--ink); height: 2em; }\n.sources ul { list-style: none; padding-left: 0; }\n.sources > ul > li { margin-bottom: .4em; padding-left: 2em; text-indent: -2em; }\n.sources .quotes { margin: .15em 0 0; text-indent: 0; font-size: .85em; color: var(--soft); }\nfooter { margin-top: 1.2em; font-size: .9em; }\n.about p { font-size: .9em; }\n/* A narrow screen (a phone, 390 px): a grid stacks, one question and then each option under\n   it, named, so that no word is ever broken inside its letters. */\n@media (max-width: 40rem) {\n  body { margin: .8rem auto; padding: 0 .7rem; }\n  td, th { overflow-wrap: normal; word-break: normal; hyphens: manual; }\n  table, thead, tbody, tr, th, td, colgroup { display: block; width: auto; }\n  thead, colgroup { display: none; }\n  tr { border-top: 2px solid var(--rule); padding: .3em 0; }\n  th, td { border: none; padding: .2em 0; }\n  td[data-label]::before { content: attr(data-label); display: block; font-weight: bold; color: var(--soft); }\n  tbody td:empty { display: none; }\n}\n@media print {\n  @page { size: auto; margin: 12mm 13mm 14mm; }\n  html { font-size: 9.5pt; }\n  .sources .quotes { font-size: .8em; }\n  .about p, .colophon { font-size: .85em; }\n  body { max-width: none; margin: 0; padding: 0; }\n  a { color: inherit; text-decoration: none; }\n  li, .disclaimer, .icons, p { break-inside: avoid; page-break-inside: avoid; }\n  h2, h3 { break-after: avoid; page-break-after: avoid; }\n  thead { display: table-header-group; }\n  thead th { background: none; }\n  .notes { break-inside: avoid; }\n  .notes .line { height: 1.7em; }\n  .notes .line:nth-of-type(n+5) { display: none; }  /* four ruled lines on paper */\n  ul.two { columns: 2; column-gap: 2em; }  /* a long labelled list (the evidence notes) */\n  footer { margin-top: .3em; }\n  footer p, .about p { margin: .15em 0; }\n  .about h2 { margin-top: .6em; }\n'
    if t_2(context.eval_ctx, t_6(context, t_3(context, t_3(context, t_7(context, environment.getattr((undefined(name='doc') if l_0_doc is missing else l_0_doc), 'blocks'), 'headers', 'defined'), attribute='headers'), 'length'), '>=', 3)):
        pass
        yield '  @page { size: landscape; margin: 8mm 10mm 9mm; }  /* three or four options side by side */\n  html { font-size: 8.5pt; }\n  .notes .line { height: 1.5em; }\n  .notes .line:nth-of-type(n+5) { display: none; }  /* four ruled lines on a wide page */\n  .sources .quotes { font-size: .78em; }\n  .about p, .colophon { font-size: .8em; }\n  table { table-layout: auto; }  /* wide pages: columns as wide as their content needs */\n'
    yield '}\n</style>\n</head>\n<body>\n<header>\n<h1>'
    yield escape(t_8(environment.getattr((undefined(name='doc') if l_0_doc is missing else l_0_doc), 'title')))
    yield '</h1>\n'
    if environment.getattr((undefined(name='doc') if l_0_doc is missing else l_0_doc), 'subtitle'):
        pass
        yield '<p class="subtitle">'
        yield escape(t_8(environment.getattr((undefined(name='doc') if l_0_doc is missing else l_0_doc), 'subtitle')))
        yield '</p>'
    yield '<p class="disclaimer">'
    yield escape(environment.getattr((undefined(name='words') if l_0_words is missing else l_0_words), 'DISCLAIMER'))
    yield '</p>\n</header>\n<main>\n'
    l_1_loop = missing
    for l_1_block, l_1_loop in LoopContext(environment.getattr((undefined(name='doc') if l_0_doc is missing else l_0_doc), 'blocks'), undefined):
        l_1_kinds = resolve('kinds')
        l_1_styles = resolve('styles')
        l_1_labelled = resolve('labelled')
        l_1_kind = missing
        _loop_vars = {}
        pass
        l_1_kind = environment.getattr(l_1_block, 'kind')
        _loop_vars['kind'] = l_1_kind
        if ((undefined(name='kind') if l_1_kind is missing else l_1_kind) == environment.getattr((undefined(name='kinds') if l_1_kinds is missing else l_1_kinds), 'HEADING')):
            pass
            yield '<h'
            yield escape(t_4(environment, [environment.getattr(l_1_block, 'level'), 5]))
            yield '>'
            yield escape(t_8(environment.getattr(l_1_block, 'text')))
            yield '</h'
            yield escape(t_4(environment, [environment.getattr(l_1_block, 'level'), 5]))
            yield '>\n'
        elif (((undefined(name='kind') if l_1_kind is missing else l_1_kind) == environment.getattr((undefined(name='kinds') if l_1_kinds is missing else l_1_kinds), 'PARA')) and t_2(context.eval_ctx, t_5(context, environment.getattr(l_1_block, 'items'), 'style', 'equalto', environment.getattr((undefined(name='styles') if l_1_styles is missing else l_1_styles), 'HINT')))):
            pass
            yield '<p>'
            l_2_loop = missing
            for l_2_i, l_2_loop in LoopContext(environment.getattr(l_1_block, 'items'), undefined):
                _loop_vars = {}
                pass
                yield escape(context.call((undefined(name='item') if l_0_item is missing else l_0_item), l_2_i, _loop_vars=_loop_vars))
                if (not environment.getattr(l_2_loop, 'last')):
                    pass
                    yield ' '
            l_2_loop = l_2_i = missing
            yield '</p>\n'
        elif ((undefined(name='kind') if l_1_kind is missing else l_1_kind) == environment.getattr((undefined(name='kinds') if l_1_kinds is missing else l_1_kinds), 'BULLETS')):
            pass
            if environment.getattr(l_1_block, 'label'):
                pass
                yield '<p class="label">'
                yield escape(t_8(environment.getattr(l_1_block, 'label')))
                yield '</p>'
            yield '<ul'
            if (environment.getattr(l_1_block, 'label') and (t_1(environment.getattr(l_1_block, 'items')) > 3)):
                pass
                yield ' class="two"'
            yield '>\n'
            for l_2_i in environment.getattr(l_1_block, 'items'):
                _loop_vars = {}
                pass
                yield '<li>'
                yield escape(context.call((undefined(name='item') if l_0_item is missing else l_0_item), l_2_i, _loop_vars=_loop_vars))
                yield '</li>\n'
            l_2_i = missing
            yield '</ul>\n'
        elif ((undefined(name='kind') if l_1_kind is missing else l_1_kind) == environment.getattr((undefined(name='kinds') if l_1_kinds is missing else l_1_kinds), 'GRID')):
            pass
            l_1_labelled = (not t_9(environment.getattr(l_1_block, 'label_header')))
            _loop_vars['labelled'] = l_1_labelled
            yield '<table>\n'
            if (undefined(name='labelled') if l_1_labelled is missing else l_1_labelled):
                pass
                yield '<colgroup><col class="question">'
                for l_2_h in environment.getattr(l_1_block, 'headers'):
                    _loop_vars = {}
                    pass
                    yield '<col>'
                l_2_h = missing
                yield '</colgroup>'
            yield '<thead><tr>'
            if (undefined(name='labelled') if l_1_labelled is missing else l_1_labelled):
                pass
                yield '<td></td>'
            for l_2_h in environment.getattr(l_1_block, 'headers'):
                _loop_vars = {}
                pass
                yield '<th scope="col">'
                yield escape(t_8(l_2_h))
                yield '</th>'
            l_2_h = missing
            yield '</tr></thead>\n<tbody>\n'
            l_2_loop = missing
            for l_2_row, l_2_loop in LoopContext(environment.getattr(l_1_block, 'rows'), undefined):
                _loop_vars = {}
                pass
                yield '<tr>'
                if (undefined(name='labelled') if l_1_labelled is missing else l_1_labelled):
                    pass
                    if environment.getattr(l_2_row, 'label'):
                        pass
                        yield '<th scope="row">'
                        yield escape(t_8(environment.getattr(l_2_row, 'label')))
                        yield '</th>'
                    else:
                        pass
                        yield '<td></td>'
                if ((t_1(environment.getattr(l_2_row, 'cells')) == 1) and (t_1(environment.getattr(l_1_block, 'headers')) > 1)):
                    pass
                    yield '<td colspan="'
                    yield escape(t_1(environment.getattr(l_1_block, 'headers')))
                    yield '">'
                    yield escape(context.call((undefined(name='cell') if l_0_cell is missing else l_0_cell), environment.getitem(environment.getattr(l_2_row, 'cells'), 0), _loop_vars=_loop_vars))
                    yield '</td>\n'
                else:
                    pass
                    l_3_loop = missing
                    for l_3_c, l_3_loop in LoopContext(environment.getattr(l_2_row, 'cells'), undefined):
                        _loop_vars = {}
                        pass
                        yield '<td data-label="'
                        yield escape(t_8(environment.getitem(environment.getattr(l_1_block, 'headers'), environment.getattr(l_3_loop, 'index0'))))
                        yield '">'
                        yield escape(context.call((undefined(name='cell') if l_0_cell is missing else l_0_cell), l_3_c, _loop_vars=_loop_vars))
                        yield '</td>'
                    l_3_loop = l_3_c = missing
                yield '</tr>\n'
            l_2_loop = l_2_row = missing
            yield '</tbody>\n</table>\n'
        elif ((undefined(name='kind') if l_1_kind is missing else l_1_kind) == environment.getattr((undefined(name='kinds') if l_1_kinds is missing else l_1_kinds), 'CODE')):
            pass
            yield '<pre>'
            yield escape(t_8(environment.getattr(l_1_block, 'text')))
            yield '</pre>\n'
    l_1_loop = l_1_block = l_1_kind = l_1_kinds = l_1_styles = l_1_labelled = missing
    if environment.getattr((undefined(name='doc') if l_0_doc is missing else l_0_doc), 'silent'):
        pass
        yield '<p class="silent"><em>'
        yield escape(context.call(environment.getattr((undefined(name='words') if l_0_words is missing else l_0_words), 'silent_line'), environment.getattr((undefined(name='doc') if l_0_doc is missing else l_0_doc), 'silent')))
        yield '</em></p>'
    def t_12(fiter):
        l_1_kinds = resolve('kinds')
        for l_1_block in fiter:
            if ((environment.getattr(l_1_block, 'kind') == environment.getattr((undefined(name='kinds') if l_1_kinds is missing else l_1_kinds), 'NOTES_SPACE')) and environment.getattr((undefined(name='doc') if l_0_doc is missing else l_0_doc), 'handout')):
                yield l_1_block
    for l_1_block in t_12(environment.getattr((undefined(name='doc') if l_0_doc is missing else l_0_doc), 'blocks')):
        l_1_range = resolve('range')
        _loop_vars = {}
        pass
        yield '<section class="notes" aria-label="Space for your notes">\n<h2>Your notes and questions</h2>\n'
        for l_2_n in context.call((undefined(name='range') if l_1_range is missing else l_1_range), environment.getattr(l_1_block, 'lines'), _loop_vars=_loop_vars):
            _loop_vars = {}
            pass
            yield '<div class="line"></div>\n'
        l_2_n = missing
        yield '</section>\n'
    l_1_block = l_1_range = missing
    if environment.getattr((undefined(name='doc') if l_0_doc is missing else l_0_doc), 'footnotes'):
        pass
        yield '<section class="sources">\n<h2>Sources</h2>\n<ul>\n'
        l_1_loop = missing
        for l_1_note, l_1_loop in LoopContext(environment.getattr((undefined(name='doc') if l_0_doc is missing else l_0_doc), 'footnotes'), undefined):
            _loop_vars = {}
            pass
            yield '<li id="source-'
            yield escape(environment.getattr(l_1_note, 'number'))
            yield '">['
            yield escape(environment.getattr(l_1_note, 'number'))
            yield '] '
            yield escape(t_8(environment.getattr(l_1_note, 'text')))
            if environment.getattr(l_1_note, 'promotional'):
                pass
                yield ' <span class="promo">'
                yield escape(environment.getattr((undefined(name='words') if l_0_words is missing else l_0_words), 'PROMOTIONAL'))
                yield '</span>'
            if environment.getattr(l_1_note, 'quotes'):
                pass
                yield '<p class="quotes">'
                l_2_loop = missing
                for l_2_q, l_2_loop in LoopContext(environment.getattr(l_1_note, 'quotes'), undefined):
                    _loop_vars = {}
                    pass
                    yield '<q>'
                    yield escape(t_8(l_2_q))
                    yield '</q>'
                    if (not environment.getattr(l_2_loop, 'last')):
                        pass
                        yield ' · '
                l_2_loop = l_2_q = missing
                yield '</p>'
            yield '</li>\n'
        l_1_loop = l_1_note = missing
        yield '</ul>\n</section>\n'
    if environment.getattr((undefined(name='doc') if l_0_doc is missing else l_0_doc), 'about'):
        pass
        yield '<section class="about">\n<h2>'
        yield escape(environment.getattr((undefined(name='words') if l_0_words is missing else l_0_words), 'ABOUT_GUIDE'))
        yield '</h2>\n<p>'
        if environment.getattr((undefined(name='doc') if l_0_doc is missing else l_0_doc), 'made'):
            pass
            yield 'Made on '
            yield escape(environment.getattr((undefined(name='doc') if l_0_doc is missing else l_0_doc), 'made'))
            yield '. '
        for l_1_line in environment.getattr((undefined(name='doc') if l_0_doc is missing else l_0_doc), 'about'):
            _loop_vars = {}
            pass
            yield escape(t_8(l_1_line))
            yield ' '
        l_1_line = missing
        yield escape(environment.getattr((undefined(name='words') if l_0_words is missing else l_0_words), 'DISCLAIMER'))
        yield '</p>\n</section>\n'
    yield '</main>\n<footer>\n'
    for l_1_line in environment.getattr((undefined(name='doc') if l_0_doc is missing else l_0_doc), 'colophon'):
        _loop_vars = {}
        pass
        yield '<p class="colophon">'
        yield escape(t_8(l_1_line))
        yield '</p>'
    l_1_line = missing
    def t_13(fiter):
        for l_1_line in fiter:
            if (not (environment.getattr((undefined(name='doc') if l_0_doc is missing else l_0_doc), 'about') and (l_1_line == environment.getattr((undefined(name='words') if l_0_words is missing else l_0_words), 'DISCLAIMER')))):
                yield l_1_line
    for l_1_line in t_13(environment.getattr((undefined(name='doc') if l_0_doc is missing else l_0_doc), 'footer')):
        _loop_vars = {}
        pass
        yield '<p>'
        yield escape(l_1_line)
        yield '</p>'
    l_1_line = missing
    yield '</footer>\n</body>\n</html>'

blocks = {}
debug_info = '2=68&3=77&4=134&5=156&6=188&7=195&9=205&10=212&11=213&12=214&13=223&21=255&86=257&100=261&101=263&102=269&105=272&106=279&107=281&108=284&109=290&110=294&111=303&112=305&113=311&114=315&117=323&118=325&120=328&121=338&123=350&124=354&125=364&126=374&130=386&131=389&134=392&135=397&138=407&142=414&146=418&147=432&152=450&154=453&155=455&160=469&161=476'
