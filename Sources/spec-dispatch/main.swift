print("spec-dispatch")
