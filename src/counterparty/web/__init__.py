"""HTTP plumbing shared by the native API and the vendor dialects: bodies, auth, docs."""
