# A SPARQL Update (.ru, so the query tests that run every .rq leave it alone): a reviewer's decision on one drafted fact (/documents/<id>/draft/
# <fact>), $fact and $status bound by the caller. The fact's review status is replaced in the
# graph that holds it, in one operation (one transaction of the store).
DELETE { GRAPH ?g { $fact xsrv:reviewStatus ?old } }
INSERT { GRAPH ?g { $fact xsrv:reviewStatus $status } }
WHERE { GRAPH ?g { $fact xsrv:reviewStatus ?old } }
