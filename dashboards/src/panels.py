"""The qga dashboards' house style, on Grafana's typed builders (grafana-foundation-sdk).

Each panel function returns an SDK panel builder with what every qga panel of its kind shares;
build_dashboards.py chains what is particular to one panel (.span, .height, .max, .thresholds,
.data_links, ...). Every panel and query points at the `datasource` template variable, never at
a concrete datasource UID, so the JSON imports into any Grafana.
"""
import typing

from grafana_foundation_sdk.builders import bargauge as bargauge_panel
from grafana_foundation_sdk.builders import common as options
from grafana_foundation_sdk.builders import dashboard as dash
from grafana_foundation_sdk.builders import piechart as piechart_panel
from grafana_foundation_sdk.builders import prometheus
from grafana_foundation_sdk.builders import stat as stat_panel
from grafana_foundation_sdk.builders import statetimeline as state_timeline_panel
from grafana_foundation_sdk.builders import table as table_panel
from grafana_foundation_sdk.builders import timeseries as timeseries_panel
from grafana_foundation_sdk.models import common
from grafana_foundation_sdk.models import dashboard as model
from grafana_foundation_sdk.models.piechart import (PieChartLabels, PieChartLegendValues,
                                                   PieChartType)
from grafana_foundation_sdk.models.prometheus import PromQueryFormat, QueryEditorMode

DATASOURCE = model.DataSourceRef(type_val="prometheus", uid="${datasource}")

# The SDK's panel builders share no base class that has their common setters.
AnyPanel = (bargauge_panel.Panel | piechart_panel.Panel | stat_panel.Panel
            | state_timeline_panel.Panel | table_panel.Panel | timeseries_panel.Panel)
Panel = typing.TypeVar("Panel", bargauge_panel.Panel, piechart_panel.Panel, stat_panel.Panel,
                       state_timeline_panel.Panel, table_panel.Panel, timeseries_panel.Panel)


def query(expr: str, legend: str = "") -> prometheus.Dataquery:
    """A range query; the panel function numbers it (refId)."""
    return (prometheus.Dataquery().datasource(DATASOURCE).editor_mode(QueryEditorMode.CODE)
            .expr(expr).legend_format(legend or "__auto").range()
            .format(PromQueryFormat.TIME_SERIES))


def instant(expr: str, legend: str = "") -> prometheus.Dataquery:
    """For panels that show only the latest value (bars, pies, tables)."""
    return query(expr, legend).instant()


def table_query(expr: str) -> prometheus.Dataquery:
    """An instant query whose labels become table columns."""
    return instant(expr).format(PromQueryFormat.TABLE)


def thresholds(*steps: tuple[float | None, str]) -> dash.ThresholdsConfig:
    """steps: (value, or None for the base, colour)."""
    return (dash.ThresholdsConfig().mode(model.ThresholdsMode.ABSOLUTE)
            .steps([model.Threshold(value=value, color=colour) for value, colour in steps]))


def value_mappings(mapping: dict[str, tuple[str, str]]) -> list[model.ValueMapping]:
    """mapping: {"0": ("down", "red"), ...}"""
    return [model.ValueMap(options={
        value: model.ValueMappingResult(text=text, color=colour, index=i)
        for i, (value, (text, colour)) in enumerate(mapping.items())})]


def prop(name: str, value: object) -> model.DynamicConfigValue:
    """One field property of an override, e.g. prop("unit", "bytes")."""
    return model.DynamicConfigValue(id_val=name, value=value)


def guest_link(selector_params: str) -> dash.DashboardLink:
    """A data link from a series with a `guest` label to the per-guest dashboard.

    The SDK types data links as dashboard links, so the JSON carries their extra fields (type,
    icon, tags, ...) too; Grafana reads only title and url of a data link here.
    """
    return dash.DashboardLink("Guest detail: ${__field.labels.guest}").url(
        "/d/qga-guest/qga-guest?${__url_time_range}&${datasource:queryparam}"
        "&var-job=${__field.labels.job}&var-guest=${__field.labels.guest}" + selector_params)



def table_guest_link() -> dash.DashboardLink:
    """guest_link for the rows of a table: there the labels are columns of the row
    (${__data.fields.NAME}), not labels of the field. The job column must stay in the frame
    (hide it with custom.hidden, not the organize transformation)."""
    return dash.DashboardLink("Guest detail: ${__data.fields.guest}").url(
        "/d/qga-guest/qga-guest?${__url_time_range}&${datasource:queryparam}"
        "&var-job=${__data.fields.job}&var-hypervisor=${__data.fields.hypervisor}"
        "&var-guest=${__data.fields.guest}")

def _base(panel: Panel, title: str, description: str, unit: str,
          queries: tuple[prometheus.Dataquery, ...], w: int, h: int,
          colour: model.FieldColorModeId = model.FieldColorModeId.THRESHOLDS) -> Panel:
    """What every panel has; refIds A, B, C... in query order."""
    for i, target in enumerate(queries):
        panel.with_target(target.ref_id(chr(ord("A") + i)))
    return (panel.title(title).description(description).datasource(DATASOURCE)
            .span(w).height(h).unit(unit).thresholds(thresholds((None, "green")))
            .color_scheme(dash.FieldColor().mode(colour)))


def _last_value() -> options.ReduceDataOptions:
    return options.ReduceDataOptions().calcs(["lastNotNull"]).fields("").values(False)


def timeseries(title: str, description: str, unit: str, *queries: prometheus.Dataquery,
               stack: bool = False, min_: float | None = None) -> timeseries_panel.Panel:
    """Lines with a table legend; the y axis starts at 0 unless the data or min_ go lower."""
    panel = (_base(timeseries_panel.Panel(), title, description, unit, queries, 12, 8,
                   model.FieldColorModeId.PALETTE_CLASSIC)
             .draw_style(common.GraphDrawStyle.LINE).line_width(1)
             .fill_opacity(60 if stack else 10).show_points(common.VisibilityMode.NEVER)
             .span_nulls(False)
             .stacking(options.StackingConfig()
                       .mode(common.StackingMode.NORMAL if stack else common.StackingMode.NONE)
                       .group("A"))
             .legend(options.VizLegendOptions().display_mode(common.LegendDisplayMode.TABLE)
                     .placement(common.LegendPlacement.BOTTOM).show_legend(True)
                     .calcs(["mean", "max", "lastNotNull"]))
             .tooltip(options.VizTooltipOptions().mode(common.TooltipDisplayMode.MULTI)
                      .sort(common.SortOrder.DESCENDING)))
    return panel.axis_soft_min(0) if min_ is None else panel.min(min_)


def stat(title: str, description: str, *queries: prometheus.Dataquery,
         unit: str = "short") -> stat_panel.Panel:
    """The last value, coloured by the thresholds."""
    return (_base(stat_panel.Panel(), title, description, unit, queries, 4, 4)
            .reduce_options(_last_value())
            .text_mode(common.BigValueTextMode.VALUE).color_mode(common.BigValueColorMode.VALUE)
            .graph_mode(common.BigValueGraphMode.NONE)
            .justify_mode(common.BigValueJustifyMode.AUTO)
            .orientation(common.VizOrientation.AUTO).wide_layout(True))


def bargauge(title: str, description: str, unit: str,
             *queries: prometheus.Dataquery) -> bargauge_panel.Panel:
    """Horizontal bars, one per series, named on the left."""
    return (_base(bargauge_panel.Panel(), title, description, unit, queries, 12, 8)
            .reduce_options(_last_value())
            .orientation(common.VizOrientation.HORIZONTAL)
            .display_mode(common.BarGaugeDisplayMode.GRADIENT).show_unfilled(True)
            .value_mode(common.BarGaugeValueMode.COLOR)
            .name_placement(common.BarGaugeNamePlacement.LEFT)
            .min_viz_height(12).min_viz_width(8))


def piechart(title: str, description: str, *queries: prometheus.Dataquery) -> piechart_panel.Panel:
    """A donut of the last values, with a table legend on the right."""
    return (_base(piechart_panel.Panel(), title, description, "short", queries, 6, 8)
            .reduce_options(_last_value())
            .pie_type(PieChartType.DONUT)
            .display_labels([PieChartLabels.NAME, PieChartLabels.VALUE])
            .legend(piechart_panel.PieChartLegendOptions()
                    .display_mode(common.LegendDisplayMode.TABLE)
                    .placement(common.LegendPlacement.RIGHT).show_legend(True)
                    .values([PieChartLegendValues.VALUE]))
            .tooltip(options.VizTooltipOptions().mode(common.TooltipDisplayMode.SINGLE)))


def state_timeline(title: str, description: str, *queries: prometheus.Dataquery,
                   mappings: list[model.ValueMapping],
                   steps: dash.ThresholdsConfig) -> state_timeline_panel.Panel:
    """One band per series, coloured and named by its value mappings."""
    return (_base(state_timeline_panel.Panel(), title, description, "short", queries, 12, 8)
            .mappings(mappings).thresholds(steps)
            .show_value(common.VisibilityMode.AUTO).merge_values(True).row_height(0.9)
            .align_value(common.TimelineValueAlignment.LEFT)
            .legend(options.VizLegendOptions().show_legend(False)
                    .display_mode(common.LegendDisplayMode.LIST)
                    .placement(common.LegendPlacement.BOTTOM))
            .tooltip(options.VizTooltipOptions().mode(common.TooltipDisplayMode.SINGLE))
            .fill_opacity(80).line_width(0))


def table(title: str, description: str, *queries: prometheus.Dataquery,
          hide: tuple[str, ...] = (), rename: dict[str, str] | None = None) -> table_panel.Panel:
    """Instant queries merged on their labels; hide: columns left out, rename: old -> new."""
    organize = {"excludeByName": {name: True for name in ("Time", "__name__", *hide)},
                "renameByName": rename or {}, "indexByName": {}}
    return (_base(table_panel.Panel(), title, description, "short", queries, 24, 8)
            .show_header(True).cell_height(common.TableCellHeight.SM)
            # No footer.fields: Grafana's schema (and so the SDK) wants a list of field names,
            # where our hand-written JSON had "" before.
            .footer(options.TableFooterOptions().show(False).reducer(["sum"]))
            .with_transformation(model.DataTransformerConfig(id_val="merge", options={}))
            .with_transformation(model.DataTransformerConfig(id_val="organize",
                                                             options=organize))
            .align(common.FieldTextAlignment.AUTO).cell_options(common.TableAutoCellOptions())
            .inspect(False))


def row(title: str) -> dash.Row:
    return dash.Row(title).collapsed(False)

