"""The OData 4.0 protocol family (Odyssee's): `grammar` ($filter and $orderby's order), `csdl`
(the `$metadata` document from field tables), `query` (the query options of an entity set as
the service's query, paging and next links) and `answers` (entities, collections and the error
shape, with their schemas for the published document)."""
