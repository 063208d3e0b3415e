"""Small builders for Grafana (10/11) classic dashboard JSON.

Only what qga_exporter's dashboards use. Every panel and query points at the `datasource`
template variable, never at a concrete datasource UID, so the JSON imports into any Grafana.
"""

SCHEMA_VERSION = 39  # Grafana 10.4 / 11.0 classic dashboard schema
DATASOURCE = {"type": "prometheus", "uid": "${datasource}"}


def target(expr, legend="", ref="A", instant=False, table=False):
    return {
        "datasource": DATASOURCE,
        "editorMode": "code",
        "expr": expr,
        "legendFormat": legend or "__auto",
        "range": not instant,
        "instant": instant,
        "format": "table" if table else "time_series",
        "refId": ref,
    }


def targets(*specs, instant=False, table=False):
    """specs: (expr, legend) pairs; refIds A, B, C... in order."""
    return [target(expr, legend, chr(ord("A") + i), instant, table)
            for i, (expr, legend) in enumerate(specs)]


def thresholds(*steps):
    """steps: (value or None for the base, colour)."""
    return {"mode": "absolute", "steps": [{"color": c, "value": v} for v, c in steps]}


def value_mappings(mapping):
    """mapping: {"0": ("down", "red"), ...}"""
    return [{"type": "value", "options": {
        k: {"text": text, "color": colour, "index": i}
        for i, (k, (text, colour)) in enumerate(mapping.items())}}]


def guest_link(selector_params):
    """A data link from a series with a `guest` label to the per-guest dashboard."""
    return {
        "title": "Guest detail: ${__field.labels.guest}",
        "url": "/d/qga-guest/qga-guest?${__url_time_range}&${datasource:queryparam}"
               "&var-job=${__field.labels.job}&var-guest=${__field.labels.guest}" + selector_params,
    }


def _panel(kind, title, description, tgts, unit=None, *, w, h, decimals=None, min_=None,
           max_=None, steps=None, mappings=None, links=None, custom=None, overrides=None,
           options=None, transformations=None):
    defaults = {"unit": unit or "short"}
    for key, value in (("decimals", decimals), ("min", min_), ("max", max_),
                       ("mappings", mappings), ("links", links), ("custom", custom)):
        if value is not None:
            defaults[key] = value
    defaults["thresholds"] = steps or thresholds((None, "green"))
    defaults.setdefault("color", {"mode": "palette-classic" if kind == "timeseries" else "thresholds"})
    panel = {
        "type": kind,
        "title": title,
        "description": description,
        "datasource": DATASOURCE,
        "targets": tgts,
        "fieldConfig": {"defaults": defaults, "overrides": overrides or []},
        "options": options or {},
        "_size": (w, h),
    }
    if transformations:
        panel["transformations"] = transformations
    return panel


def timeseries(title, description, tgts, unit, *, w=12, h=8, stack=False, overrides=None,
               min_=None, max_=None, links=None):
    custom = {
        "drawStyle": "line", "lineWidth": 1, "fillOpacity": 10 if not stack else 60,
        "showPoints": "never", "spanNulls": False, "axisSoftMin": 0 if min_ is None else None,
        "stacking": {"mode": "normal" if stack else "none", "group": "A"},
    }
    custom = {k: v for k, v in custom.items() if v is not None}
    options = {"legend": {"displayMode": "table", "placement": "bottom", "showLegend": True,
                          "calcs": ["mean", "max", "lastNotNull"]},
               "tooltip": {"mode": "multi", "sort": "desc"}}
    return _panel("timeseries", title, description, tgts, unit, w=w, h=h, custom=custom,
                  overrides=overrides, options=options, min_=min_, max_=max_, links=links)


def stat(title, description, tgts, unit=None, *, w=4, h=4, text_mode="value", mappings=None,
         steps=None, color_mode="value", decimals=None):
    options = {
        "reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
        "textMode": text_mode, "colorMode": color_mode, "graphMode": "none",
        "justifyMode": "auto", "orientation": "auto", "wideLayout": True,
    }
    return _panel("stat", title, description, tgts, unit, w=w, h=h, mappings=mappings,
                  steps=steps, options=options, decimals=decimals)


def bargauge(title, description, tgts, unit, *, w=12, h=8, min_=None, max_=None, steps=None,
             links=None):
    options = {
        "reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
        "orientation": "horizontal", "displayMode": "gradient", "showUnfilled": True,
        "valueMode": "color", "namePlacement": "left", "minVizHeight": 12, "minVizWidth": 8,
    }
    return _panel("bargauge", title, description, tgts, unit, w=w, h=h, min_=min_, max_=max_,
                  steps=steps, options=options, links=links)


def piechart(title, description, tgts, *, w=6, h=8):
    options = {
        "reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
        "pieType": "donut", "displayLabels": ["name", "value"],
        "legend": {"displayMode": "table", "placement": "right", "showLegend": True,
                   "values": ["value"]},
        "tooltip": {"mode": "single"},
    }
    return _panel("piechart", title, description, tgts, "short", w=w, h=h, options=options)


def state_timeline(title, description, tgts, *, mappings, steps, w=12, h=8, links=None):
    options = {"showValue": "auto", "mergeValues": True, "rowHeight": 0.9, "alignValue": "left",
               "legend": {"showLegend": False, "displayMode": "list", "placement": "bottom"},
               "tooltip": {"mode": "single"}}
    custom = {"fillOpacity": 80, "lineWidth": 0}
    return _panel("state-timeline", title, description, tgts, "short", w=w, h=h,
                  mappings=mappings, steps=steps, custom=custom, options=options, links=links)


def table(title, description, tgts, *, w=24, h=8, hide=(), rename=None, overrides=None,
          unit=None, sort_by=None):
    """A table of instant queries merged on their labels."""
    options = {"showHeader": True, "cellHeight": "sm",
               "footer": {"show": False, "reducer": ["sum"], "fields": ""}}
    if sort_by:
        options["sortBy"] = [{"displayName": sort_by[0], "desc": sort_by[1]}]
    transformations = [
        {"id": "merge", "options": {}},
        {"id": "organize", "options": {
            "excludeByName": {name: True for name in ("Time", "__name__", *hide)},
            "renameByName": rename or {}, "indexByName": {}}},
    ]
    return _panel("table", title, description, tgts, unit, w=w, h=h, overrides=overrides,
                  options=options, transformations=transformations,
                  custom={"align": "auto", "cellOptions": {"type": "auto"}, "inspect": False})


def unit_override(field, unit, **extra):
    props = [{"id": "unit", "value": unit}]
    props += [{"id": k, "value": v} for k, v in extra.items()]
    return {"matcher": {"id": "byName", "options": field}, "properties": props}


def regex_override(pattern, *props):
    return {"matcher": {"id": "byRegexp", "options": pattern},
            "properties": [{"id": k, "value": v} for k, v in props]}


def row(title):
    return {"type": "row", "title": title, "collapsed": False, "panels": [], "_size": (24, 1)}


def layout(panels):
    """Assigns ids and gridPos, filling rows of 24 columns left to right."""
    x = y = 0
    row_height = 0
    out = []
    for panel_id, panel in enumerate(panels, start=1):
        w, h = panel.pop("_size")
        if panel["type"] == "row" or x + w > 24:
            y += row_height
            x, row_height = 0, 0
        panel["id"] = panel_id
        panel["gridPos"] = {"h": h, "w": w, "x": x, "y": y}
        x += w
        row_height = max(row_height, h)
        if panel["type"] == "row":
            y += h
            x, row_height = 0, 0
        out.append(panel)
    return out


def datasource_variable():
    return {"type": "datasource", "name": "datasource", "label": "Data source",
            "query": "prometheus", "regex": "", "current": {}, "options": [], "hide": 0,
            "refresh": 1, "includeAll": False, "multi": False, "skipUrlSync": False}


def query_variable(name, label, query, *, multi, include_all, all_value=None):
    variable = {
        "type": "query", "name": name, "label": label, "datasource": DATASOURCE,
        "definition": query,
        # The classic form (no qryType): every Grafana since 7 reads a label_values() string.
        "query": {"query": query, "refId": f"qga-{name}-variable"},
        "refresh": 2, "regex": "", "sort": 1, "current": {}, "options": [], "hide": 0,
        "includeAll": include_all, "multi": multi, "skipUrlSync": False,
    }
    if all_value is not None:
        variable["allValue"] = all_value
    return variable


def dashboard(uid, title, description, tags, variables, panels, *, links=None):
    panel_types = sorted({p["type"] for p in panels if p["type"] != "row"})
    return {
        "__inputs": [],
        "__requires": [
            {"type": "grafana", "id": "grafana", "name": "Grafana", "version": "10.0.0"},
            {"type": "datasource", "id": "prometheus", "name": "Prometheus", "version": "1.0.0"},
        ] + [{"type": "panel", "id": t, "name": t, "version": ""} for t in panel_types],
        "id": None,
        "uid": uid,
        "title": title,
        "description": description,
        "tags": tags,
        "editable": True,
        "graphTooltip": 1,
        "fiscalYearStartMonth": 0,
        "liveNow": False,
        "timezone": "browser",
        "refresh": "1m",
        "time": {"from": "now-6h", "to": "now"},
        "timepicker": {},
        "schemaVersion": SCHEMA_VERSION,
        "version": 1,
        "annotations": {"list": [{
            "builtIn": 1, "datasource": {"type": "grafana", "uid": "-- Grafana --"},
            "enable": True, "hide": True, "iconColor": "rgba(0, 211, 255, 1)",
            "name": "Annotations & Alerts", "type": "dashboard"}]},
        "links": links or [],
        "templating": {"list": variables},
        "panels": layout(panels),
    }
