print("qga_exporter: under construction")
