"""The nouns of synthwatch, validated on construction."""
