apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: vista-__name__
  labels:
    app.kubernetes.io/name: vista-__name__
    app.kubernetes.io/part-of: vista
spec:
  minAvailable: 1
  selector:
    matchLabels:
      app.kubernetes.io/name: vista-__name__
