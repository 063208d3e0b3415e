print("qga-sim: under construction")
