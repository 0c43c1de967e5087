# Chinese pages group thousands with commas (1,139,600), as finance and procurement documents in China do;
# Django's default for zh-hans prints money with no grouping at all.
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
