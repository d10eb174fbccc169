"""What the host does with a published site that the build must agree with (Netlify's header rules)."""
