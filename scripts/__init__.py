"""Scripts that build the lexicon weights, the splitter parameters and the default model."""
