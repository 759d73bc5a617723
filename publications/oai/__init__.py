"""An OAI-PMH 2.0 provider of the library, with unqualified Dublin Core (oai_dc).

`views.oai_endpoint` answers /oai/; `verbs` does the protocol, `records` finds
the publications (live, public) and the withdrawn ones (`OaiTombstone`),
`dublin_core` describes one publication, `tokens` signs resumption tokens.
"""
