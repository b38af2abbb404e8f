"""Constructed news texts with a known relation, shared by the tests."""

SOURCE = (
    "Port Authority Reports Record Year\n\n"
    "The Harbor Port Authority said on Monday that it handled 4.2 million containers in 2023. "
    "The volume was 17% higher than the year before, driven by grain exports. "
    "Director Ana Velasquez said the new crane terminal cost $310 million and opened in March. "
    "Dock workers signed a three-year contract covering 2,450 employees. "
    "The authority expects 5 million containers by 2026."
)
DERIVED = (
    "Shipping Boom At The Harbor\n\n"
    "Local fishermen complained about noise near the northern pier this week. "
    "According to the port authority, 4.2 million containers passed through the harbor in 2023, "
    "a 17% rise on the year before thanks to grain exports. "
    "The crane terminal, which opened in March, cost $310 million, director Ana Velasquez said. "
    "City council members will debate a new parking plan on Thursday."
)
UNRELATED = (
    "Harbor Traffic Worries Residents\n\n"
    "Residents near the harbor say truck traffic has made the roads unsafe for children. "
    "A petition signed by 800 people asks the city to reroute lorries away from schools. "
    "The port said it was studying the request and would answer within a month. "
    "Ships and containers are part of life here, one shop owner said."
)
