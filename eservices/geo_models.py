"""Where citizens live: subdistricts and which local governments serve them (the office finder)."""
