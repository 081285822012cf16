import PassageApp
print("x")
