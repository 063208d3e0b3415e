"""Self-test of the dashboard validator: each defect it claims to catch, planted in a copy of the
real fleet dashboard, must be reported; the real dashboards must pass.

Run: python3 -m unittest discover -s dashboards/lib
"""
import unittest

import qgadash
import validate_dashboards as v


def fleet():
    return qgadash.load(qgadash.DASHBOARDS_DIR / "qga-fleet.json")


def first_query_panel(board):
    return next(p for p in board["panels"] if p["type"] != "row")


class ValidatorTest(unittest.TestCase):
    def assertReports(self, board, fragment):
        errors = v.validate(board)
        self.assertTrue(any(fragment in e for e in errors),
                        f"expected an error containing {fragment!r}, got {errors}")

    def assertExprReports(self, expr, fragment):
        """The fleet dashboard with its first query changed to `expr` is reported."""
        board = fleet()
        first_query_panel(board)["targets"][0]["expr"] = expr
        self.assertReports(board, fragment)

    def test_committed_dashboards_pass(self):
        for path in qgadash.dashboard_files():
            self.assertEqual(v.validate(qgadash.load(path)), [], path.name)

    def test_hard_coded_datasource_uid(self):
        board = fleet()
        first_query_panel(board)["targets"][0]["datasource"] = {"type": "prometheus",
                                                               "uid": "P1809F7CD0C75ACF3"}
        self.assertReports(board, "is not the ${datasource} variable")

    def test_duplicate_panel_id(self):
        board = fleet()
        board["panels"][2]["id"] = board["panels"][1]["id"]
        self.assertReports(board, "duplicate panel id")

    def test_overlapping_panels(self):
        board = fleet()
        board["panels"][2]["gridPos"] = dict(board["panels"][1]["gridPos"])
        self.assertReports(board, "overlaps panel")

    def test_grid_overflow(self):
        board = fleet()
        first_query_panel(board)["gridPos"]["x"] = 22
        self.assertReports(board, "outside the 24-column grid")

    def test_missing_expr(self):
        self.assertExprReports("", "has no expr")

    def test_raw_counter(self):
        self.assertExprReports('sum(qga_exporter_polls_total{job="x"})', "without a range function")

    def test_fixed_rate_window(self):
        self.assertExprReports("sum(rate(qga_exporter_polls_total[5m]))", "use $__rate_interval")

    def test_per_second_unit_on_gauge(self):
        board = fleet()
        panel = first_query_panel(board)
        panel["fieldConfig"]["defaults"]["unit"] = "Bps"
        self.assertReports(board, "not a rate")

    def test_missing_variables(self):
        board = fleet()
        board["templating"]["list"] = [t for t in board["templating"]["list"]
                                       if t["name"] not in ("datasource", "guest")]
        self.assertReports(board, "needs a `datasource` variable")
        self.assertReports(board, "needs a `guest` query variable")

    def test_missing_top_level_field(self):
        board = fleet()
        del board["schemaVersion"]
        self.assertReports(board, "missing top-level field 'schemaVersion'")

    def test_old_schema(self):
        board = fleet()
        board["schemaVersion"] = 27
        self.assertReports(board, "schemaVersion below 36")


class SubstituteTest(unittest.TestCase):
    def test_all_forms(self):
        expr = 'rate(x{a=~"$job",b="${guest}",c="[[hypervisor]]",d="${job:regex}"}[$__rate_interval])'
        self.assertEqual(qgadash.substitute(expr, {"job": "j", "guest": "g", "hypervisor": "h"}),
                         'rate(x{a=~"j",b="g",c="h",d="j"}[1m])')

    def test_unknown_variable_is_an_error(self):
        with self.assertRaises(KeyError):
            qgadash.substitute('x{a="$nope"}', {})


if __name__ == "__main__":
    unittest.main()
