# Deploys the __name__ service alone: kubectl apply -k k8s/__name__ (after k8s/base).
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: vista
resources:
  - configmap.yaml
  - deployment.yaml
  - service.yaml
  - pdb.yaml
images:
  # Point at the registry the image is pushed to, e.g. `kustomize edit set image vista-__name__=registry.example.com/vista-__name__:0.1.0`.
  - name: vista-__name__
    newTag: 0.1.0
