import PassageApp

try await Passage.main()
